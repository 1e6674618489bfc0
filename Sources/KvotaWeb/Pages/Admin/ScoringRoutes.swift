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
            var scorers: [(ScoreSubject, StoredScorer?)] = []
            for subject in ScoreSubject.allCases { scorers.append((subject, try await database.storedScorer(subject))) }
            return page.response(ScoringPage(page: page, scorers: scorers).html())
        }
        signedIn.post(RouterPath(SiteURL.adminScoringTrain.route)) { _, context in
            _ = try AccessPolicy.require(context.actor, .update, .settings)
            let now = config.now()
            _ = try await database.trainScores(at: now)
            try await database.rescore(at: now)
            return Response.redirect(to: SiteURL.adminScoring.path, flash: .notice(.scoringTrained), secure: config.secureCookies)
        }
    }
}
