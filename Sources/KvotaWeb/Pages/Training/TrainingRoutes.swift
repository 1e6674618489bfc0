import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// A person's training and onboarding page (`/team/reps/{id}/training`, linked from the rep card and the library),
/// recording a training, ticking a step, deleting a record. Whose they may see and keep is the store's (`.training`,
/// `.onboarding`): another team's person answers 404.
struct TrainingRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.training(user: 0).route)) { request, context in
            let user = User.ID(try context.parameters.require("id", as: Int64.self))
            let page = try await pages.pageContext(request, context, section: .team)
            return page.response(try await view(user, page, context, entered: [:], errors: [:]).html())
        }
        signedIn.post(RouterPath(SiteURL.training(user: 0).route)) { request, context in
            let user = User.ID(try context.parameters.require("id", as: Int64.self))
            let form = try await PlanRoutes.form(request)
            var problems = ValidationFailure.Collector()
            let body = TrainingAPI.Body(userId: user.rawValue, kind: form["kind"], title: form["title"], startsOn: form["startsOn"].nonEmpty,
                                        endsOn: form["endsOn"].nonEmpty, mentorId: form["mentorId"].flatMap { Int64($0) },
                                        result: form["result"], score: nil, notes: form["notes"])
            var patch = TrainingAPI.patch(body, into: &problems)
            if let text = form["score"].nonEmpty {
                let score = Int(text)
                problems.check(score != nil, "score", "expected 0 to 100 (percent), got \(text)")
                patch.score = .some(score)
            }
            do {
                _ = try await database.addTrainingRecord(user: user, patch, problems: problems, by: context.actor, at: config.now(),
                                                         address: context.address)
                return Response.redirect(to: SiteURL.training(user: user.rawValue).path, flash: .notice(.trainingSavedNotice),
                                         secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                let page = try await pages.pageContext(request, context, section: .team)
                return page.response(try await view(user, page, context, entered: form, errors: failure.formErrors(in: page.t.language)).html(),
                                     status: .unprocessableContent)
            }
        }
        signedIn.post(RouterPath(SiteURL.trainingTick(user: 0, step: 0).route)) { request, context in
            let user = User.ID(try context.parameters.require("id", as: Int64.self))
            let step = OnboardingStep.ID(try context.parameters.require("step", as: Int64.self))
            let form = try await PlanRoutes.form(request)
            _ = try await database.tickOnboarding(of: user, step: step, done: form["done"] != "false", by: context.actor, at: config.now(),
                                                  address: context.address)
            return Response.redirect(to: SiteURL.training(user: user.rawValue).path, flash: .notice(.trainingSavedNotice), secure: config.secureCookies)
        }
        signedIn.post(RouterPath(SiteURL.trainingDelete(id: 0).route)) { _, context in
            let id = TrainingRecord.ID(try context.parameters.require("id", as: Int64.self))
            let user = try await database.trainingRecords(for: context.actor).first { $0.id == id }?.userID
            try await database.deleteTrainingRecord(id, by: context.actor, at: config.now(), address: context.address)
            return Response.redirect(to: user.map { SiteURL.training(user: $0.rawValue).path } ?? SiteURL.library.path,
                                     flash: .notice(.trainingSavedNotice), secure: config.secureCookies)
        }
    }

    private func view(_ user: User.ID, _ page: PageContext, _ context: SignedInContext, entered: [String: String],
                      errors: [String: String]) async throws -> TrainingPage {
        // The checklist read checks that the person is the reader's to see (404 otherwise).
        let onboarding = try await database.onboarding(of: user, for: context.actor)
        let names = try await database.userNames()
        let people = try await database.users().filter(\.active).map { ("\($0.id)", $0.name) }
        return TrainingPage(page: page, name: names[user] ?? "#\(user)", userID: user,
                            records: try await database.trainingRecords(for: context.actor, user: user), onboarding: onboarding, names: names,
                            people: people, canRecord: AccessPolicy.allows(context.actor, .create, .training, owner: user),
                            canTick: AccessPolicy.allows(context.actor, .update, .onboarding, owner: user), entered: entered, errors: errors)
    }
}

private extension Optional where Wrapped == String {
    /// The text when there is some: an empty form field is no value.
    var nonEmpty: String? { self.flatMap { $0.isEmpty ? nil : $0 } }
}
