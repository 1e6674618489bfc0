import Hummingbird
import KvotaCore

/// Hands the signed-in user's language up with any error their request ends in, for `ErrorMiddleware` to answer
/// in (it runs before sign-in, so it cannot see who asked).
struct ProblemLanguageMiddleware: RouterMiddleware {
    typealias Context = SignedInContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ErrorInLanguage {
            throw error
        } catch {
            throw ErrorInLanguage(error: error, language: context.user.language)
        }
    }
}
