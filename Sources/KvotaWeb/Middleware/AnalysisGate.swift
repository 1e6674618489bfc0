import Hummingbird
import Metrics

/// Lets a fixed number of analyses (analytics, forecasts, KPIs; pages and API) run at once and queues the rest in
/// arrival order (docs/performance.md, "Memory under load"). An analysis is processor-bound and holds arrays of a
/// period's customers or order lines while it runs: on two cores, eight at once finish no sooner than two at a time,
/// but each holds its arrays for four times as long, and eight directors' analyses at scale L took the server to
/// 880 MB. The queue's length is `kvota_analyses_waiting` in `GET /metrics`.
struct AnalysisGate: RouterMiddleware {
    typealias Context = SignedInContext
    let permits: Permits

    init(atOnce: Int) { permits = Permits(atOnce) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        await permits.acquire()
        do {
            let response = try await next(request, context)
            await permits.release()
            return response
        } catch {
            await permits.release()
            throw error
        }
    }

    actor Permits {
        private var free: Int
        private var waiters: [CheckedContinuation<Void, Never>] = []
        private var head = 0
        private let waiting = Meter(label: "kvota.analyses.waiting")

        init(_ count: Int) {
            precondition(count >= 1)
            free = count
        }

        func acquire() async {
            if free > 0 {
                free -= 1
                return
            }
            waiting.increment()
            await withCheckedContinuation { waiters.append($0) }
        }

        /// Hands the permit straight to the first in the queue, so a new arrival cannot overtake it.
        func release() {
            guard head < waiters.count else {
                free += 1
                return
            }
            let next = waiters[head]
            head += 1
            if head > 64 && head * 2 > waiters.count {
                waiters.removeFirst(head)
                head = 0
            }
            waiting.decrement()
            next.resume()
        }
    }
}
