import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The library pages: the list with the onboarding steps, one document, adding, changing and deleting documents,
/// adding and retiring steps. Who keeps them is the store's (`.libraryDocument`, `.onboardingStep`).
struct LibraryRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.library.route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .plans)
            return page.response(try await list(page, context, entered: [:], chosen: [], errors: [:]).html())
        }
        signedIn.post(RouterPath(SiteURL.library.route)) { request, context in
            let (form, chosen) = try await Self.form(request)
            var problems = ValidationFailure.Collector()
            let kind = decodeKey(form["kind"], as: LibraryDocument.Kind.self, field: "kind", into: &problems)
            do {
                let document = try await database.addLibraryDocument(kind: kind, title: form["title"], body: form["body"],
                                                                     stages: chosen.compactMap { Int64($0) }.map { Stage.ID($0) }, problems: problems,
                                                                     by: context.actor, at: config.now(), address: context.address)
                return Response.redirect(to: SiteURL.libraryDocument(id: document.id.rawValue).path, flash: .notice(.librarySavedNotice),
                                         secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                let page = try await pages.pageContext(request, context, section: .plans)
                return page.response(try await list(page, context, entered: form, chosen: chosen, errors: Self.errors(failure, page)).html(),
                                     status: .unprocessableContent)
            }
        }
        signedIn.get(RouterPath(SiteURL.libraryDocument(id: 0).route)) { request, context in
            let id = LibraryDocument.ID(try context.parameters.require("id", as: Int64.self))
            let page = try await pages.pageContext(request, context, section: .plans)
            return page.response(try await document(id, page, context, entered: nil, chosen: [], errors: [:]).html())
        }
        signedIn.post(RouterPath(SiteURL.libraryDocument(id: 0).route)) { request, context in
            let id = LibraryDocument.ID(try context.parameters.require("id", as: Int64.self))
            let (form, chosen) = try await Self.form(request)
            var problems = ValidationFailure.Collector()
            let kind = decodeKey(form["kind"], as: LibraryDocument.Kind.self, field: "kind", into: &problems)
            do {
                _ = try await database.updateLibraryDocument(id, kind: kind, title: form["title"], body: form["body"],
                                                             stages: chosen.compactMap { Int64($0) }.map { Stage.ID($0) }, problems: problems,
                                                             expectedVersion: form["version"].flatMap { Int64($0) }, by: context.actor,
                                                             at: config.now(), address: context.address)
                return Response.redirect(to: SiteURL.libraryDocument(id: id.rawValue).path, flash: .notice(.librarySavedNotice),
                                         secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                let page = try await pages.pageContext(request, context, section: .plans)
                return page.response(try await document(id, page, context, entered: form, chosen: chosen, errors: Self.errors(failure, page)).html(),
                                     status: .unprocessableContent)
            }
        }
        signedIn.post(RouterPath(SiteURL.libraryDocumentDelete(id: 0).route)) { _, context in
            try await database.deleteLibraryDocument(LibraryDocument.ID(try context.parameters.require("id", as: Int64.self)), by: context.actor,
                                                     at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.library.path, flash: .notice(.librarySavedNotice), secure: config.secureCookies)
        }
        signedIn.post(RouterPath(SiteURL.onboardingSteps.route)) { request, context in
            let form = try await PlanRoutes.form(request)
            do {
                _ = try await database.addOnboardingStep(text: form["step"], by: context.actor, at: config.now(), address: context.address)
                return Response.redirect(to: SiteURL.library.path, flash: .notice(.librarySavedNotice), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                let page = try await pages.pageContext(request, context, section: .plans)
                return page.response(try await list(page, context, entered: form, chosen: [], errors: Self.errors(failure, page)).html(),
                                     status: .unprocessableContent)
            }
        }
        signedIn.post(RouterPath(SiteURL.onboardingStepRetire(id: 0).route)) { _, context in
            try await database.retireOnboardingStep(OnboardingStep.ID(try context.parameters.require("id", as: Int64.self)), by: context.actor,
                                                    at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.library.path, flash: .notice(.librarySavedNotice), secure: config.secureCookies)
        }
    }

    /// A posted document form by name, and the stages checked (a repeated name).
    private static func form(_ request: Request) async throws -> ([String: String], [String]) {
        var request = request
        let pairs = FormPairs.parse(String(buffer: try await request.collectBody(upTo: 512 * 1024)))
        return (Dictionary(pairs, uniquingKeysWith: { _, b in b }), pairs.filter { $0.0 == "stage" }.map(\.1))
    }

    /// Problems by form field: a stage's (`stageIds[2]`) under the stages.
    private static func errors(_ failure: ValidationFailure, _ page: PageContext) -> [String: String] {
        let renaming = Dictionary(uniqueKeysWithValues: failure.errors.map(\.field).filter { $0.hasPrefix("stageIds[") }.map { ($0, "stages") })
        return failure.formErrors(in: page.t.language, renaming: renaming)
    }

    private func stages(_ context: SignedInContext, chosen: [String]) async throws -> LibraryStages {
        let pipelines = try await database.pipelines(for: context.actor)
        return LibraryStages(options: pipelines.flatMap { pipeline, stages in
            stages.map { (id: String($0.id.rawValue), label: "\(pipeline.name) · \($0.name)") }
        }, chosen: chosen)
    }

    private func list(_ page: PageContext, _ context: SignedInContext, entered: [String: String], chosen: [String],
                      errors: [String: String]) async throws -> LibraryListPage {
        LibraryListPage(page: page, documents: try await database.libraryDocuments(for: context.actor),
                        steps: try await database.onboardingSteps(for: context.actor), stages: try await stages(context, chosen: chosen),
                        canKeep: AccessPolicy.scope(context.actor, .create, .libraryDocument) != .nothing, entered: entered, errors: errors)
    }

    private func document(_ id: LibraryDocument.ID, _ page: PageContext, _ context: SignedInContext, entered: [String: String]?,
                          chosen: [String], errors: [String: String]) async throws -> LibraryDocumentPage {
        LibraryDocumentPage(page: page, document: try await database.libraryDocument(id, for: context.actor),
                            stages: try await stages(context, chosen: chosen),
                            canKeep: AccessPolicy.scope(context.actor, .update, .libraryDocument) != .nothing, entered: entered, errors: errors)
    }
}
