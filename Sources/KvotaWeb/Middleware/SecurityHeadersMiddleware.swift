import HTTPTypes
import Hummingbird

/// The browser's own defences, on every answer (docs/security.md, "In the browser"):
/// - scripts only from Kvota's own files, never inline, so text a user typed cannot run even if escaping failed once;
///   styles may be inline (a progress bar's width is a `style` attribute) but only Kvota's stylesheet is loaded;
/// - no page in another site's frame (clickjacking), in the policy and in the older header;
/// - no guessing of a file's type, and the address of a page sent only to Kvota itself.
/// A route that sets one of these itself (a survey link's page sends no referrer at all) keeps its own.
enum SecurityHeaders {
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "object-src 'none'",
        "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static let fields: [(HTTPField.Name, String)] = [
        (HTTPField.Name("Content-Security-Policy")!, contentSecurityPolicy),
        (HTTPField.Name("X-Frame-Options")!, "DENY"),
        (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
        (HTTPField.Name("Referrer-Policy")!, "same-origin"),
    ]
}

struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for (name, value) in SecurityHeaders.fields where response.headers[name] == nil {
            response.headers[name] = value
        }
        return response
    }
}
