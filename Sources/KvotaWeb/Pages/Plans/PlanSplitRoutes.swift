import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The split screen: a GET proposes (a dry run of the chosen method), a POST checks the entered parts or writes them
/// as drafts. Parts left as proposed keep the proposal's method; any edited part makes the split manual, which the
/// store refuses when it does not add up and no override reason is given.
struct PlanSplitRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.planSplit(id: 0, query: "").route)) { request, context in
            let id = Plan.ID(try context.parameters.require("id", as: Int64.self))
            let page = try await pages.pageContext(request, context, section: .plans)
            let query = request.uri.queryParameters
            let parent = try await database.plan(id, for: context.actor)
            let choice = Self.choice(parent, by: query["by"].map(String.init), method: query["method"].map(String.init),
                                     grain: query["grain"].map(String.init))
            let figures = try await PlansRoutes.figures(page, currency: try await database.companySettings().baseCurrency, database: database)
            do {
                let proposal = try await propose(parent, choice, context)
                return page.response(PlanSplitPage(page: page, parent: parent, figures: figures, choice: choice, parts: proposal.parts,
                                                   checks: proposal.checks).html())
            } catch let failure as ValidationFailure {
                return page.response(PlanSplitPage(page: page, parent: parent, figures: figures, choice: choice, parts: [], checks: [],
                                                   errors: failure.formErrors(in: page.t.language, otherwise: "form")).html(),
                                     status: .unprocessableContent)
            }
        }
        signedIn.post(RouterPath(SiteURL.planSplit(id: 0, query: "").route)) { request, context in
            try await post(request, context)
        }
    }

    private func post(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = Plan.ID(try context.parameters.require("id", as: Int64.self))
        let page = try await pages.pageContext(request, context, section: .plans)
        let form = try await PlanRoutes.form(request)
        let parent = try await database.plan(id, for: context.actor)
        let choice = Self.choice(parent, by: form["by"], method: form["method"], grain: form["grain"])
        let figures = try await PlansRoutes.figures(page, currency: try await database.companySettings().baseCurrency, database: database)
        var errors: [String: String] = [:]
        var parts: [PlanSplit.Part] = []
        for index in 0..<1_000 {
            guard let scope = form["p\(index).scope"], let label = form["p\(index).period"],
                  let subject = try? PlanSubject(scope), let period = try? Period(label: label) else { break }
            var targets: [PlanTarget] = []
            for target in parent.targets {
                let name = "p\(index).\(target.measure.rawValue)"
                let text = form[name]?.trimmingCharacters(in: .whitespaces) ?? ""
                if text.isEmpty { targets.append(PlanTarget(target.measure, 0)); continue }
                guard let value = figures.parse(text, target.measure), value >= 0 else { errors[name] = page.t(.planNumberInvalid); continue }
                targets.append(PlanTarget(target.measure, value))
            }
            parts.append(PlanSplit.Part(subject: subject, period: period, targets: targets))
        }
        let reason = form["overrideReason"] ?? ""
        let creating = form["action"] == "create"
        var checks = PlanSplit.checks(of: parts, against: parent.targets)
        if errors.isEmpty {
            // Parts as proposed keep the proposal's method in the audit trail.
            let proposed = try? await propose(parent, choice, context)
            let asProposed = proposed?.parts == parts
            let split = PlanSplitRequest(level: choice.by, method: asProposed ? choice.method : .manual, grain: choice.grain,
                                         parts: asProposed ? [] : parts, overrideReason: reason, dryRun: !creating)
            do {
                let result = try await database.splitPlan(id, split, by: context.actor, at: config.now(), address: context.address)
                checks = result.checks
                if creating {
                    return .redirect(to: SiteURL.plan(id: id.rawValue).path, flash: .notice(.splitCreatedNotice), secure: config.secureCookies)
                }
            } catch var failure as ValidationFailure {
                // The screen shows the sums itself; what it asks for is the reason.
                let short = checks.contains { $0.remainder != 0 } && reason.trimmingCharacters(in: .whitespaces).isEmpty
                if short {
                    failure = ValidationFailure(failure.errors.filter { $0.field != "parts" })
                    errors["overrideReason"] = page.t(.splitNeedsReason)
                }
                errors = failure.formErrors(in: page.t.language, renaming: Self.partFields(parts.count), otherwise: nil)
                    .reduce(into: errors) { fields, item in
                        let row = item.key.dropFirst().allSatisfy(\.isNumber) && item.key.hasPrefix("p") && item.key.count > 1
                        let key = row || item.key == "overrideReason" ? item.key : "form"
                        fields[key] = fields[key].map { "\($0); \(item.value)" } ?? item.value
                    }
            }
        }
        let view = PlanSplitPage(page: page, parent: parent, figures: figures, choice: choice, parts: parts, checks: checks,
                                 entered: Dictionary(form.filter { $0.key.hasPrefix("p") }.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
                                 errors: errors, overrideReason: reason)
        return page.response(view.html(), status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    private func propose(_ parent: Plan, _ choice: PlanSplitPage.Choice, _ context: SignedInContext) async throws -> PlanSplitResult {
        try await database.splitPlan(parent.id, PlanSplitRequest(level: choice.by, method: choice.method, grain: choice.grain, dryRun: true),
                                     by: context.actor, at: config.now(), address: context.address)
    }

    /// The store's `parts[N]` as the screen's row `pN`.
    private static func partFields(_ count: Int) -> [String: String] {
        Dictionary(uniqueKeysWithValues: (0..<count).map { ("parts[\($0)]", "p\($0)") })
    }

    /// What the screen asks for, with defaults: by subject when the plan has one level below, else by period; equal;
    /// the next finer grain (a year or half-year by quarter).
    static func choice(_ parent: Plan, by: String?, method: String?, grain: String?) -> PlanSplitPage.Choice {
        let level = by.flatMap(PlanSplit.Level.init(rawValue:)) ?? (parent.subject.childKind == nil ? .period : .subject)
        let method = method.flatMap(PlanSplit.Method.init(rawValue:)).flatMap { $0 == .manual ? nil : $0 } ?? .equal
        guard level == .period else { return .init(by: level, method: method, grain: nil) }
        let finer: [PeriodGrain] = [.week, .month, .quarter, .halfYear, .year]
        let own = finer.firstIndex(of: parent.period.grain) ?? 0
        let fallback: PeriodGrain? = parent.period.grain == .year || parent.period.grain == .halfYear ? .quarter : own > 0 ? finer[own - 1] : nil
        // A grain that is not shorter than the plan's own is ignored for the default.
        let asked = grain.flatMap(PeriodGrain.init(rawValue:)).flatMap { (finer.firstIndex(of: $0) ?? own) < own ? $0 : nil }
        return .init(by: level, method: method, grain: asked ?? fallback)
    }
}
