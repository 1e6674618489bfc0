/// SWOT boards (issue 8): one per scope (the company, a team, a product category) and period, items per quadrant with
/// impact and owner, and the tasks each item spawned.
extension Migrations {
    static let swot = Migration(23, "SWOT boards", sql: """
        CREATE TABLE swot_boards (
            id {id},
            scope_kind TEXT NOT NULL CHECK (scope_kind IN ('company', 'team', 'category')),
            team_id BIGINT REFERENCES teams (id),
            category_id BIGINT REFERENCES product_categories (id),
            grain TEXT NOT NULL,
            starts_on INTEGER NOT NULL,
            title TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            created_by BIGINT REFERENCES users (id),
            CHECK ((scope_kind = 'team') = (team_id IS NOT NULL) AND (scope_kind = 'category') = (category_id IS NOT NULL))
        );
        CREATE UNIQUE INDEX swot_boards_scope_period ON swot_boards (scope_kind, COALESCE(team_id, 0), COALESCE(category_id, 0), grain, starts_on);
        CREATE TABLE swot_items (
            id {id},
            board_id BIGINT NOT NULL REFERENCES swot_boards (id),
            quadrant TEXT NOT NULL CHECK (quadrant IN ('strengths', 'weaknesses', 'opportunities', 'threats')),
            text TEXT NOT NULL,
            impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
            owner_id BIGINT REFERENCES users (id),
            created_at BIGINT NOT NULL,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE INDEX swot_items_board ON swot_items (board_id);
        CREATE TABLE swot_item_tasks (
            item_id BIGINT NOT NULL REFERENCES swot_items (id),
            activity_id BIGINT NOT NULL REFERENCES activities (id),
            PRIMARY KEY (item_id, activity_id)
        )
        """)
}
