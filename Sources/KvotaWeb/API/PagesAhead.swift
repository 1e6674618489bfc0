import KvotaStore

/// The pages of an export one after another, the next one read while the caller writes out the last: the database's
/// thread and the event loop then work at once, where an export alternated between them. One page ahead at most, so
/// an export holds two pages in memory, not the whole list.
struct PagesAhead<Item: Sendable> {
    private let fetch: @Sendable (String?) async throws -> RecordPage<Item>
    private var waiting: RecordPage<Item>?
    private var ahead: Task<RecordPage<Item>, any Error>?

    /// `first` is read already (before answering, so that its error is still a proper error answer).
    init(first: RecordPage<Item>, fetch: @escaping @Sendable (String?) async throws -> RecordPage<Item>) {
        self.waiting = first
        self.fetch = fetch
    }

    /// The next page, and the one after it set reading; nil after the last.
    mutating func next() async throws -> RecordPage<Item>? {
        let page: RecordPage<Item>
        if let waiting {
            page = waiting
            self.waiting = nil
        } else if let ahead {
            self.ahead = nil
            page = try await ahead.value
        } else {
            return nil
        }
        let fetch = fetch
        ahead = page.next.map { cursor in Task { try await fetch(cursor) } }
        return page
    }

    /// Stops the page being read ahead: the export ended early (the client went away, a limit was passed).
    func cancel() {
        ahead?.cancel()
    }
}
