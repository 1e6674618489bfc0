import KvotaCore

/// The sales by customer a request's KPIs read, each read once: the window's history (churn risk, downgrades from A)
/// is the stretch just before it, whose own KPIs read the same customers. The company's week at scale L read them
/// twice, a quarter of its sales reading. Lives as long as the request's `KPIContext`.
actor KPISalesReads {
    struct Key: Hashable {
        let owners: KPIOwners
        let window: DateWindow
        let actor: Actor
    }

    private var reads: [Key: Task<[KPISale], Error>] = [:]

    /// The read under `key`, started by the first to ask and awaited by the rest.
    func sales(_ key: Key, read: @escaping @Sendable () async throws -> [KPISale]) async throws -> [KPISale] {
        if let started = reads[key] { return try await started.value }
        let task = Task { try await read() }
        reads[key] = task
        return try await task.value
    }
}

/// One owner's (0: everyone's) sums with one customer over a window.
struct KPISale: Sendable {
    let owner: Int64
    let account: Int64
    let totals: SalesTotals
}
