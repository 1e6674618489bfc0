/// Compensation schemes and approved payouts (issue 7). A scheme version is a row that never changes; its rules are
/// the JSON of `PayRules`, so the version keeps exactly what it paid by. A payout is written when approved, with its
/// statement and the basis it was worked out on (the rules in force and the plan's targets), so a later clawback
/// compares like with like; payouts not yet approved are worked out live and not stored.
extension Migrations {
    static let pay = Migration(19, "compensation schemes and payouts", sql: """
        CREATE TABLE pay_schemes (
            id {id},
            name TEXT NOT NULL,
            applies_kind TEXT NOT NULL CHECK (applies_kind IN ('role', 'team', 'user')),
            role TEXT,
            team_id BIGINT REFERENCES teams (id),
            user_id BIGINT REFERENCES users (id),
            effective_from INTEGER NOT NULL,
            rules TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            created_by BIGINT REFERENCES users (id),
            CHECK ((applies_kind = 'role') = (role IS NOT NULL) AND (applies_kind = 'team') = (team_id IS NOT NULL)
                   AND (applies_kind = 'user') = (user_id IS NOT NULL))
        );
        CREATE UNIQUE INDEX pay_schemes_version ON pay_schemes (applies_kind, COALESCE(role, ''), COALESCE(team_id, 0), COALESCE(user_id, 0), effective_from);
        CREATE TABLE payouts (
            id {id},
            user_id BIGINT NOT NULL REFERENCES users (id),
            period_start INTEGER NOT NULL,
            total BIGINT NOT NULL,
            plan_bonus BIGINT NOT NULL,
            statement TEXT NOT NULL,
            basis TEXT NOT NULL,
            approved_at BIGINT NOT NULL,
            approved_by BIGINT REFERENCES users (id)
        );
        CREATE UNIQUE INDEX payouts_user_period ON payouts (user_id, period_start);
        CREATE TABLE payout_clawbacks (
            payout_id BIGINT NOT NULL REFERENCES payouts (id),
            from_period INTEGER NOT NULL,
            amount BIGINT NOT NULL,
            PRIMARY KEY (payout_id, from_period)
        )
        """)
}
