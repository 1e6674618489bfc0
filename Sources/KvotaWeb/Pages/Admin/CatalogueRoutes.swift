import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The settings area's lists: sales funnels and their stages, loss reasons, custom fields, integration tokens,
/// regions. The store checks the access policy on every change; reads check it here first, as the API does.
extension AdminRoutes {
    struct ReasonForm: Decodable {
        let appliesTo: String?
        let name: String?
        let active: String?
        let version: Int64?
    }

    struct RegionForm: Decodable {
        let code: String?
        let name: String?
        let parent: String?
    }

    struct ChannelForm: Decodable {
        let code: String?
        let name: String?
        let kind: String?
    }

    struct SourceForm: Decodable {
        let key: String?
        let label: String?
        let active: String?
    }

    struct TokenForm: Decodable {
        let name: String?
    }

    func registerCatalogue(on signedIn: RouterGroup<SignedInContext>) {
        registerPipelines(on: signedIn)
        signedIn.get(RouterPath(SiteURL.adminLossReasons.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .update, .lossReason)
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(LossReasonsPage(page: page, reasons: try await database.lossReasons(for: context.actor)).html())
        }
        signedIn.post(RouterPath(SiteURL.adminLossReasons.route)) { request, context in
            let (form, page) = try await read(ReasonForm.self, request, context)
            var errors = ValidationFailure.Collector()
            let appliesTo = decodeKey(form.appliesTo, as: LossReason.AppliesTo.self, field: "appliesTo", into: &errors)
            do {
                _ = try await database.addLossReason(appliesTo: appliesTo, name: form.name, problems: errors, by: context.actor,
                                                     at: config.now(), address: context.address)
                return Response.redirect(to: SiteURL.adminLossReasons.path, flash: .notice(.adminSaved), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                var view = LossReasonsPage(page: page, reasons: try await database.lossReasons(for: context.actor),
                                           values: ["appliesTo": form.appliesTo ?? "", "name": form.name ?? ""])
                view.errors = failure.formErrors(in: page.t.language)
                return page.response(view.html(), status: .unprocessableContent)
            }
        }
        signedIn.post(RouterPath(SiteURL.adminLossReason(id: 0).route)) { request, context in
            let id = LossReason.ID(try context.parameters.require("id", as: Int64.self))
            let (form, _) = try await read(ReasonForm.self, request, context)
            _ = try await database.updateLossReason(id, name: form.name, position: nil, active: form.active.map { $0 == "true" },
                                                    expectedVersion: form.version, by: context.actor, at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.adminLossReasons.path, flash: .notice(.adminSaved), secure: config.secureCookies)
        }
        registerCustomFields(on: signedIn)
        registerTokensAndRegions(on: signedIn)
        registerChannels(on: signedIn)
        registerLeadSources(on: signedIn)
    }

    private func registerLeadSources(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.adminLeadSources.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .update, .leadSource)
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(LeadSourcesPage(page: page, own: try await database.leadSources(for: context.actor)).html())
        }
        signedIn.post(RouterPath(SiteURL.adminLeadSources.route)) { request, context in
            let (form, page) = try await read(SourceForm.self, request, context)
            do {
                _ = try await database.addLeadSource(key: form.key, label: form.label, by: context.actor, at: config.now(), address: context.address)
                return Response.redirect(to: SiteURL.adminLeadSources.path, flash: .notice(.adminSaved), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                var view = LeadSourcesPage(page: page, own: try await database.leadSources(for: context.actor),
                                           values: ["key": form.key ?? "", "label": form.label ?? ""])
                view.errors = failure.formErrors(in: page.t.language)
                return page.response(view.html(), status: .unprocessableContent)
            }
        }
        signedIn.post(RouterPath(SiteURL.adminLeadSource(key: "").route)) { request, context in
            let key = try context.parameters.require("key")
            let (form, _) = try await read(SourceForm.self, request, context)
            _ = try await database.updateLeadSource(key, label: form.label, active: form.active.map { $0 == "true" }, by: context.actor,
                                                    at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.adminLeadSources.path, flash: .notice(.adminSaved), secure: config.secureCookies)
        }
    }

    private func registerPipelines(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.adminPipelines.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .update, .pipeline)
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(PipelinesPage(page: page, pipelines: try await database.pipelines(for: context.actor)).html())
        }
        signedIn.post(RouterPath(SiteURL.adminPipelines.route)) { request, context in
            let (form, page) = try await read(TokenForm.self, request, context)
            let t = page.t
            // A funnel needs a stage to start in and one to win and lose in; the head names the rest on its page.
            let stages = [StagePatch(name: t(.dealStatusOpen), probability: 10, outcome: .open),
                          StagePatch(name: t(.dealStatusWon), probability: 100, outcome: .won),
                          StagePatch(name: t(.dealStatusLost), probability: 0, outcome: .lost)]
            do {
                let (pipeline, _) = try await database.addPipeline(name: form.name, stages: stages, by: context.actor, at: config.now(),
                                                                   address: context.address)
                return Response.redirect(to: SiteURL.adminPipeline(id: pipeline.id.rawValue).path, flash: .notice(.adminSaved),
                                         secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                var view = PipelinesPage(page: page, pipelines: try await database.pipelines(for: context.actor), name: form.name ?? "")
                view.error = failure.formErrors(in: t.language, otherwise: "name")["name"]
                return page.response(view.html(), status: .unprocessableContent)
            }
        }
        signedIn.get(RouterPath(SiteURL.adminPipeline(id: 0).route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .update, .pipeline)
            let id = Pipeline.ID(try context.parameters.require("id", as: Int64.self))
            let page = try await pages.pageContext(request, context, section: .admin)
            let (pipeline, stages) = try await database.pipeline(id, for: context.actor)
            return page.response(PipelinePage(page: page, pipeline: pipeline, stages: stages).html())
        }
        signedIn.post(RouterPath(SiteURL.adminStages(pipeline: 0).route)) { request, context in
            try await saveStage(request, context, stage: nil)
        }
        signedIn.post(RouterPath(SiteURL.adminStage(pipeline: 0, id: 0).route)) { request, context in
            try await saveStage(request, context, stage: Stage.ID(try context.parameters.require("stage", as: Int64.self)))
        }
        signedIn.post(RouterPath(SiteURL.adminStageDelete(pipeline: 0, id: 0).route)) { request, context in
            let id = Pipeline.ID(try context.parameters.require("id", as: Int64.self))
            let stage = Stage.ID(try context.parameters.require("stage", as: Int64.self))
            let page = try await pages.pageContext(request, context, section: .admin)
            do {
                try await database.deleteStage(stage, of: id, by: context.actor, at: config.now(), address: context.address)
                return Response.redirect(to: SiteURL.adminPipeline(id: id.rawValue).path, flash: .notice(.adminSaved), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                let (pipeline, stages) = try await database.pipeline(id, for: context.actor)
                var view = PipelinePage(page: page, pipeline: pipeline, stages: stages, posted: stage.rawValue)
                view.values = Self.values(stages.first { $0.id == stage })
                view.requirements = stages.first { $0.id == stage }?.requiredFields ?? []
                view.errors = failure.formErrors(in: page.t.language, otherwise: "name")
                return page.response(view.html(), status: .unprocessableContent)
            }
        }
    }

    /// A stage's form: the pairs are read by hand because the "needs" checkboxes repeat one name.
    private func saveStage(_ request: Request, _ context: SignedInContext, stage: Stage.ID?) async throws -> Response {
        var request = request
        let id = Pipeline.ID(try context.parameters.require("id", as: Int64.self))
        let body = try await request.collectBody(upTo: 64 * 1024)
        let page = try await pages.pageContext(request, context, section: .admin)
        let pairs = FormPairs.parse(String(buffer: body))
        let values = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        var errors = ValidationFailure.Collector()
        var patch = StagePatch()
        patch.name = values["name"]
        if let text = values["position"], !text.isEmpty {
            patch.position = Int(text)
            errors.check(patch.position != nil, "position", "expected a whole number, got '\(text)'")
        }
        if let text = values["probability"] {
            patch.probability = Int(text)
            errors.check(patch.probability != nil, "probability", "expected a whole number, got '\(text)'")
        }
        patch.outcome = decodeKey(values["outcome"], as: StageOutcome.self, field: "outcome", into: &errors)
        patch.forecastCategory = decodeKey(values["forecast_category"], as: ForecastCategory.self, field: "forecastCategory", into: &errors)
        let requirements = Set(pairs.filter { $0.0 == "required" }.compactMap { DealRequirement(rawValue: $0.1) })
        patch.requiredFields = requirements
        let script = values["script"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        patch.script = .some(script.isEmpty ? nil : script)
        patch.checklist = (values["checklist"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        do {
            if let stage {
                try errors.finish()
                _ = try await database.updateStage(stage, of: id, patch, expectedVersion: values["version"].flatMap { Int64($0) },
                                                   by: context.actor, at: config.now(), address: context.address)
            } else {
                _ = try await database.addStage(to: id, patch, problems: errors, by: context.actor, at: config.now(), address: context.address)
            }
            return Response.redirect(to: SiteURL.adminPipeline(id: id.rawValue).path, flash: .notice(.adminSaved), secure: config.secureCookies)
        } catch let failure as ValidationFailure {
            let (pipeline, stages) = try await database.pipeline(id, for: context.actor)
            var view = PipelinePage(page: page, pipeline: pipeline, stages: stages, posted: stage?.rawValue ?? 0)
            view.values = values
            view.requirements = requirements
            view.errors = failure.formErrors(in: page.t.language)
            return page.response(view.html(), status: .unprocessableContent)
        }
    }

    private func registerCustomFields(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.adminCustomFields.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .update, .customField)
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(CustomFieldsPage(page: page, fields: try await database.customFields(for: context.actor)).html())
        }
        signedIn.post(RouterPath(SiteURL.adminCustomFields.route)) { request, context in
            try await saveCustomField(request, context, id: nil)
        }
        signedIn.post(RouterPath(SiteURL.adminCustomField(id: 0).route)) { request, context in
            try await saveCustomField(request, context, id: CustomField.ID(try context.parameters.require("id", as: Int64.self)))
        }
    }

    private func saveCustomField(_ request: Request, _ context: SignedInContext, id: CustomField.ID?) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let page = try await pages.pageContext(request, context, section: .admin)
        let values = Dictionary(FormPairs.parse(String(buffer: body)), uniquingKeysWith: { first, _ in first })
        let options = (values["options"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        do {
            if let id {
                // Unticked boxes are not sent: a row's form always carries both of its boxes' state.
                _ = try await database.updateCustomField(id, label: values["label"], options: values["options"] == nil ? nil : options,
                                                         required: values["required"] == "true", active: values["active"] == "true", position: nil,
                                                         expectedVersion: values["version"].flatMap { Int64($0) }, by: context.actor,
                                                         at: config.now(), address: context.address)
            } else {
                var errors = ValidationFailure.Collector()
                let kind = decodeKey(values["kind"], as: RecordKind.self, field: "kind", into: &errors)
                let type = decodeKey(values["type"], as: CustomField.FieldType.self, field: "type", into: &errors)
                let field = CustomField(id: 0, kind: kind ?? .account, key: values["key"] ?? "", label: values["label"] ?? "", type: type ?? .text,
                                        options: options, required: values["required"] == "true")
                _ = try await database.addCustomField(field, problems: errors, by: context.actor, at: config.now(), address: context.address)
            }
            return Response.redirect(to: SiteURL.adminCustomFields.path, flash: .notice(.adminSaved), secure: config.secureCookies)
        } catch let failure as ValidationFailure {
            var view = CustomFieldsPage(page: page, fields: try await database.customFields(for: context.actor), posted: id?.rawValue ?? 0)
            view.values = values
            view.errors = failure.formErrors(in: page.t.language)
            return page.response(view.html(), status: .unprocessableContent)
        }
    }

    private func registerTokensAndRegions(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.adminTokens.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .list, .integration)
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(TokensPage(page: page, tokens: try await database.integrationTokens(), users: try await database.users()).html())
        }
        signedIn.post(RouterPath(SiteURL.adminTokens.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .create, .integration)
            let (form, page) = try await read(TokenForm.self, request, context)
            let secret = Secrets.generate(prefix: "kvt_")
            var shown: String?, errors: [String: String] = [:]
            do {
                _ = try await database.createToken(userID: context.user.id, name: form.name ?? "", kind: .integration, scope: .integration,
                                                   hash: Secrets.hash(secret), expiresAt: nil, by: context.user.id, at: config.now(),
                                                   address: context.address)
                shown = secret
            } catch let failure as ValidationFailure {
                errors = failure.formErrors(in: page.t.language, otherwise: "name")
            }
            // The list is read after the attempt, so a new token is on it.
            let view = TokensPage(page: page, tokens: try await database.integrationTokens(), users: try await database.users(), secret: shown,
                                  name: errors.isEmpty ? "" : form.name ?? "", errors: errors)
            return page.response(view.html(), status: errors.isEmpty ? .created : .unprocessableContent)
        }
        signedIn.post(RouterPath(SiteURL.adminTokenRevoke(id: 0).route)) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            try AccessPolicy.require(context.actor, .delete, .integration, id: id, owner: nil)
            try await database.revokeToken(APIToken.ID(id), by: context.user.id, at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.adminTokens.path, flash: .notice(.adminSaved), secure: config.secureCookies)
        }
        signedIn.get(RouterPath(SiteURL.adminRegions.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .update, .region)
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(RegionsPage(page: page, regions: try await database.regions(), channels: try await database.channels()).html())
        }
        signedIn.post(RouterPath(SiteURL.adminRegions.route)) { request, context in
            let (form, page) = try await read(RegionForm.self, request, context)
            do {
                _ = try await database.addRegion(code: form.code ?? "", name: form.name ?? "", parentID: form.parent.flatMap { Int64($0) }.map { Region.ID($0) },
                                                 by: context.actor, at: config.now(), address: context.address)
                return Response.redirect(to: SiteURL.adminRegions.path, flash: .notice(.adminSaved), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                var view = RegionsPage(page: page, regions: try await database.regions(), channels: try await database.channels(),
                                       values: ["code": form.code ?? "", "name": form.name ?? "", "parent": form.parent ?? ""])
                view.errors = failure.formErrors(in: page.t.language)
                return page.response(view.html(), status: .unprocessableContent)
            }
        }
    }

    func registerChannels(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.post(RouterPath(SiteURL.adminChannels.route)) { request, context in
            let (form, page) = try await read(ChannelForm.self, request, context)
            var errors = ValidationFailure.Collector()
            let kind = decodeKey(form.kind, as: ChannelKind.self, field: "kind", into: &errors)
            do {
                try errors.finish()
                _ = try await database.addChannel(code: form.code ?? "", name: form.name ?? "", kind: kind, by: context.actor, at: config.now(),
                                                  address: context.address)
                return Response.redirect(to: SiteURL.adminRegions.path, flash: .notice(.adminSaved), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                var view = RegionsPage(page: page, regions: try await database.regions(), channels: try await database.channels(),
                                       values: ["channelCode": form.code ?? "", "channelName": form.name ?? "", "channelKind": form.kind ?? ""])
                view.errors = failure.formErrors(in: page.t.language, renaming: ["code": "channelCode", "name": "channelName", "kind": "channelKind"])
                return page.response(view.html(), status: .unprocessableContent)
            }
        }
    }

    static func values(_ stage: Stage?) -> [String: String] {
        guard let stage else { return [:] }
        return ["name": stage.name, "position": String(stage.position), "probability": String(stage.probability), "outcome": stage.outcome.rawValue,
                "script": stage.script ?? "", "checklist": stage.checklist.joined(separator: "\n"),
                "forecast_category": stage.forecastCategory.rawValue]
    }
}
