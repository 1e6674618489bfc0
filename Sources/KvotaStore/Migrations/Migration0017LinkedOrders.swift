/// Orders are found by deal only to ask whether a won deal already has its order (`DraftOrders`), and most orders
/// have no deal: every imported sales history's line and every order typed in at the order desk. The index of all
/// orders by deal held a NULL entry for each of them (three million at scale L), and every import paid one more
/// B-tree insert per order for it (docs/performance.md, "Import"). Only linked orders are indexed now; `deal_id = ?`
/// implies the index's condition, so both engines still use it.
extension Migrations {
    static let linkedOrders = Migration(17, "orders by deal, linked ones only", sql: """
        DROP INDEX orders_deal;
        CREATE INDEX orders_deal ON orders (deal_id) WHERE deal_id IS NOT NULL
        """)
}
