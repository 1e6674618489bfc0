/// Record lists (issue 4): accounts are listed by name in any case, paged by (lowercased name, id).
extension Migrations {
    static let recordLists = Migration(3, "record lists", sql: """
        CREATE INDEX accounts_name ON accounts (LOWER(name), id)
        """)
}
