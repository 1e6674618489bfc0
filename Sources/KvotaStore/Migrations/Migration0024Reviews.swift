/// Quality control (issue 8): scorecards of weighted criteria, and reviews of a rep's call, meeting or test purchase
/// with the criteria as scored (kept with the review, so a scorecard retired later does not change past scores).
extension Migrations {
    static let reviews = Migration(24, "call and meeting reviews", sql: """
        CREATE TABLE scorecards (
            id {id},
            name TEXT NOT NULL,
            criteria TEXT NOT NULL,
            max_score INTEGER NOT NULL,
            active BOOLEAN NOT NULL DEFAULT TRUE,
            created_at BIGINT NOT NULL,
            created_by BIGINT REFERENCES users (id)
        );
        CREATE TABLE reviews (
            id {id},
            scorecard_id BIGINT NOT NULL REFERENCES scorecards (id),
            owner_id BIGINT NOT NULL REFERENCES users (id),
            reviewer_id BIGINT NOT NULL REFERENCES users (id),
            subject TEXT NOT NULL CHECK (subject IN ('call', 'meeting', 'test_purchase')),
            activity_id BIGINT REFERENCES activities (id),
            occurred_on INTEGER NOT NULL,
            scores TEXT NOT NULL,
            max_score INTEGER NOT NULL,
            total DOUBLE PRECISION NOT NULL,
            comment TEXT,
            created_at BIGINT NOT NULL
        );
        CREATE INDEX reviews_owner ON reviews (owner_id, occurred_on);
        CREATE INDEX reviews_activity ON reviews (activity_id) WHERE activity_id IS NOT NULL
        """)
}
