import Hummingbird
import KvotaStore

/// Lets a fixed number of analyses (analytics, forecasts, KPIs; pages and API) run at once and queues the rest in
/// arrival order (docs/deployment.md, "One server"). An analysis is processor-bound and holds arrays of a
/// period's customers or order lines while it runs: on two cores, eight at once finish no sooner than two at a time,
/// but each holds its arrays for four times as long, and eight directors' analyses at scale L took the server to
/// 880 MB. The permits are lent by a `ConnectionGate`, whose meter gives `kvota_analyses_waiting` in `GET /metrics`.
struct AnalysisGate: RouterMiddleware {
    typealias Context = SignedInContext
    let permits: ConnectionGate<Int>

    init(atOnce: Int) { permits = ConnectionGate(Array(0..<atOnce)) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await permits.with { _ in try await next(request, context) }
    }
}
