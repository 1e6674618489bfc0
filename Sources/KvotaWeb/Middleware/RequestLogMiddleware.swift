import Hummingbird
import Logging

/// One structured log line per request: method, path, status, duration and the request id that error logs carry
/// too, so an operator can follow one request through the log.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status.code, started: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request, context: context, status: status, started: started)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, started: ContinuousClock.Instant) {
        let milliseconds = started.duration(to: .now).seconds * 1000
        context.logger.log(level: status >= 500 ? .error : .info, "request", metadata: [
            "method": .string(request.method.rawValue),
            "path": .string(LoggedPath.of(request.uri.path)),
            "status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.2f", milliseconds)),
            "request_id": .string(context.id),
        ])
    }
}

/// A request's path as the log shows it. Addresses that are themselves the key (a survey link, a calendar feed) are
/// logged without it: whoever reads the log must not be able to answer someone's survey or read their calendar.
enum LoggedPath {
    /// The routes' own text up to the secret (`/q/:secret` gives `/q/`): a route that moves takes its redaction along.
    static let secretPrefixes = [SiteURL.surveyAnswer(secret: ""), SiteURL.calendarFeed(secret: "")].map { url in
        String(url.route.prefix { $0 != ":" })
    }

    static func of(_ path: String) -> String {
        secretPrefixes.first { path.hasPrefix($0) }.map { $0 + "…" } ?? path
    }
}
