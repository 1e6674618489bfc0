/// Record lists (issue 4): each list's sort order has an index that ends in the id, so a page, first or deep, is a
/// short index range scan (accounts and contacts by name in any case, the rest newest first).
extension Migrations {
    static let recordLists = Migration(3, "record lists", sql: """
        CREATE INDEX accounts_name ON accounts (LOWER(name), id);
        CREATE INDEX contacts_name ON contacts (LOWER(name), id);
        CREATE INDEX leads_received ON leads (received_at, id);
        CREATE INDEX deals_updated ON deals (updated_at, id);
        CREATE INDEX activities_occurred ON activities (occurred_at, id);
        CREATE INDEX orders_ordered ON orders (ordered_on, id)
        """)
}
