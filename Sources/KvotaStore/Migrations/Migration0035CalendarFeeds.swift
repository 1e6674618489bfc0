/// Each user's calendar feed (issue 11): the hash of the secret in its address, so a phone's calendar can subscribe
/// without signing in. One address per user; a new one replaces it, and the old address stops working.
extension Migrations {
    static let calendarFeeds = Migration(35, "calendar feeds", sql: """
        CREATE TABLE calendar_feeds (
            user_id BIGINT PRIMARY KEY REFERENCES users (id),
            secret_hash TEXT NOT NULL UNIQUE,
            created_at BIGINT NOT NULL
        )
        """)
}
