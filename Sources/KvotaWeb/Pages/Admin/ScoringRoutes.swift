import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The scores' admin page and its "train now" post; admins only, as `/api/v1/scoring` is.
struct ScoringRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    struct TrainForm: Decodable {}

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.adminScoring.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .update, .settings)
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(ScoringPage(page: page, scorers: try await database.storedScorers()).html())
        }
        signedIn.post(RouterPath(SiteURL.adminScoringTrain.route)) { _, context in
            _ = try AccessPolicy.require(context.actor, .update, .settings)
            try await database.retrainScores(at: config.now())
            return Response.redirect(to: SiteURL.adminScoring.path, flash: .notice(.scoringTrained), secure: config.secureCookies)
        }
    }
}
