/// KPI targets (issue 8): per role or user, from a day on, never changed (a change is a later row), as scheme
/// versions are. A month's worth for KPIs that add up over days, the level for the others (docs/metrics.md).
extension Migrations {
    static let kpiTargets = Migration(22, "KPI targets", sql: """
        CREATE TABLE kpi_targets (
            id {id},
            kpi TEXT NOT NULL,
            role TEXT CHECK (role IN ('rep', 'order_desk', 'head', 'director', 'analyst', 'admin')),
            user_id BIGINT REFERENCES users (id),
            target DOUBLE PRECISION NOT NULL,
            effective_from INTEGER NOT NULL,
            created_at BIGINT NOT NULL,
            created_by BIGINT REFERENCES users (id),
            CHECK ((role IS NULL) <> (user_id IS NULL))
        );
        CREATE UNIQUE INDEX kpi_targets_version ON kpi_targets (kpi, COALESCE(role, ''), COALESCE(user_id, 0), effective_from)
        """)
}
