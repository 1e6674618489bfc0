/// Sales plans (issue 7): one plan per subject (the company, a team or a user) and period, with a target per measure
/// and optional breakdown rows. The period is kept as its grain and first day, with the day after it, so "plans that
/// overlap these days" is a range read. The subject is a kind with the team or user it names (foreign keys hold);
/// the unique index folds the two into one key so a subject has one plan per period.
extension Migrations {
    static let plans = Migration(18, "sales plans", sql: """
        CREATE TABLE plans (
            id {id},
            grain TEXT NOT NULL CHECK (grain IN ('week', 'month', 'quarter', 'half-year', 'year')),
            starts_on INTEGER NOT NULL,
            ends_before INTEGER NOT NULL,
            subject_kind TEXT NOT NULL CHECK (subject_kind IN ('company', 'team', 'user')),
            team_id BIGINT REFERENCES teams (id),
            user_id BIGINT REFERENCES users (id),
            status TEXT NOT NULL CHECK (status IN ('draft', 'approved')),
            parent_id BIGINT REFERENCES plans (id),
            note TEXT,
            created_at BIGINT NOT NULL,
            approved_at BIGINT,
            approved_by BIGINT REFERENCES users (id),
            version BIGINT NOT NULL DEFAULT 1,
            CHECK ((subject_kind = 'team') = (team_id IS NOT NULL) AND (subject_kind = 'user') = (user_id IS NOT NULL))
        );
        CREATE UNIQUE INDEX plans_subject_period ON plans (subject_kind, COALESCE(team_id, 0), COALESCE(user_id, 0), grain, starts_on);
        CREATE INDEX plans_period ON plans (starts_on);
        CREATE INDEX plans_parent ON plans (parent_id) WHERE parent_id IS NOT NULL;
        CREATE TABLE plan_targets (
            plan_id BIGINT NOT NULL REFERENCES plans (id),
            measure TEXT NOT NULL,
            target BIGINT NOT NULL,
            PRIMARY KEY (plan_id, measure)
        );
        CREATE TABLE plan_rows (
            id {id},
            plan_id BIGINT NOT NULL REFERENCES plans (id),
            dimension TEXT NOT NULL CHECK (dimension IN ('account', 'region', 'category', 'channel')),
            key_id BIGINT NOT NULL,
            measure TEXT NOT NULL,
            target BIGINT NOT NULL
        );
        CREATE UNIQUE INDEX plan_rows_key ON plan_rows (plan_id, dimension, key_id, measure)
        """)
}
