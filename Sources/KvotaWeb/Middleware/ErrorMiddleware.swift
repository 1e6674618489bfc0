import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import Logging

/// Turns every error into one answer, in one place (STYLE.md "Errors"): `application/problem+json` (RFC 9457) under
/// `/api/`, a plain HTML page elsewhere, and a sign-in redirect for a browser that is not signed in. Internal error
/// text never reaches the client; 5xx are logged with the request id. Texts are in the caller's language
/// (`ProblemTexts`).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let inLanguage = error as? ErrorInLanguage
            let error = inLanguage?.error ?? error
            let language = inLanguage?.language ?? ProblemTexts.language(acceptLanguage: request.headers[.acceptLanguage])
            let problem = Problem(error, requestID: context.id).translated(to: language)
            if problem.status >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(error)", "request_id": .string(context.id)])
            }
            if request.uri.path.hasPrefix("/api/") { return problem.jsonResponse() }
            if problem.status == 401 {
                return .redirect(to: SiteURL.signIn(next: request.uri.path).path, type: .normal)
            }
            return problem.htmlResponse(in: language)
        }
    }
}

/// An error as a client sees it: a status, a title, a safe detail, and the field errors of a validation failure.
struct Problem: Encodable {
    struct FieldError: Encodable {
        let field: String
        let reason: String
    }

    let type = "about:blank"
    var title: String
    let status: Int
    var detail: String
    var errors: [FieldError]?
    let requestId: String
    var headers = HTTPFields()

    private enum CodingKeys: String, CodingKey { case type, title, status, detail, errors, requestId }

    init(status: HTTPResponse.Status, detail: String, requestID: String) {
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.requestId = requestID
    }

    init(_ error: any Error, requestID: String) {
        switch error {
        case let failure as ValidationFailure:
            self.init(status: .unprocessableContent, detail: "some fields are not valid", requestID: requestID)
            errors = failure.errors.map { FieldError(field: $0.field, reason: $0.reason) }
        case let invalid as InvalidAnalyticsQuery:
            self.init(status: .badRequest, detail: "the analysis cannot be run with these parameters", requestID: requestID)
            errors = invalid.failure.errors.map { FieldError(field: $0.field, reason: $0.reason) }
        case let denied as AccessDenied:
            switch denied {
            case .notFound: self.init(status: .notFound, detail: denied.description, requestID: requestID)
            case .forbidden: self.init(status: .forbidden, detail: denied.description, requestID: requestID)
            }
        case let conflict as VersionConflict:
            self.init(status: .preconditionFailed, detail: conflict.description, requestID: requestID)
        case let refusal as SignInRefusal:
            switch refusal {
            case .wrongCredentials:
                self.init(status: .unauthorized, detail: refusal.description, requestID: requestID)
            case .throttled(let seconds):
                self.init(status: .tooManyRequests, detail: refusal.description, requestID: requestID)
                headers[.retryAfter] = String(seconds)
            }
        case let http as HTTPError:
            self.init(status: http.status, detail: http.body ?? http.status.reasonPhrase, requestID: requestID)
            headers = http.headers
        case let other as any HTTPResponseError:
            self.init(status: other.status, detail: other.status.reasonPhrase, requestID: requestID)
        default:
            self.init(status: .internalServerError, detail: "something went wrong on our side; the request id is in the log",
                      requestID: requestID)
        }
    }

    /// The title, detail and field reasons in `language`; fields, status and request id stay as they are.
    func translated(to language: Language) -> Problem {
        var problem = self
        problem.title = ProblemTexts.translate(title, to: language)
        problem.detail = ProblemTexts.translate(detail, to: language)
        problem.errors = errors?.map { FieldError(field: $0.field, reason: ProblemTexts.translate($0.reason, to: language)) }
        return problem
    }

    func jsonResponse() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = headers
        headers[.contentType] = "application/problem+json"
        let body = (try? encoder.encode(self)) ?? Data()
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: .init(data: body)))
    }

    func htmlResponse(in language: Language) -> Response {
        var response = ErrorPage(status: status, detail: detail, requestID: requestId, language: language).response()
        for field in headers where field.name != .contentType && field.name != .contentLength { response.headers.append(field) }
        return response
    }
}
