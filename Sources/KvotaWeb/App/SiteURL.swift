import Foundation
import KvotaCore

/// Every page URL in one place, used both to register routes and to build links, so no string URL can drift
/// (STYLE.md "Shape"). API paths live with their routes under /api/v1; the stylesheet and script with
/// `StaticAssets`.
enum SiteURL: Equatable {
    case home
    case signIn(next: String?)
    case signInLanguage(Language, next: String?)
    case signOut
    case profile
    case profileLanguage
    /// The signed-in person going on or off shift (taking new requests by round-robin).
    case myShift
    /// Click to call from a page: the PBX rings one's phone, then the number.
    case callOriginate
    case profilePassword
    case profileTokens
    case profileTokenRevoke(id: Int64)
    /// One's calendar feed: a new address (replacing the old), or none.
    case profileCalendar
    case profileCalendarOff
    case board(pipeline: Int64?, owner: Int64?, team: Int64?, byScore: Bool = false)
    case dealMove(id: Int64)
    case dealMoveChoice(id: Int64, return: String)
    case deal(id: Int64)
    case dealActivities(id: Int64)
    case dealEdit(id: Int64)
    case activityDone(id: Int64)
    case orderDesk
    case team(id: Int64?)
    /// The team's daily meeting on a day (default today), printable.
    case teamDaily(team: Int64?, date: String?)
    /// The team's week (an ISO week label; nil: this week) beside the week before, printable.
    case teamWeekly(team: Int64?, week: String?)
    /// A team's members ranked on a KPI over a window.
    case teamLeaderboard(team: Int64?, key: String?)
    /// One rep's card: KPIs, plan, activity by weekday and hour, quiet deals.
    case repCard(id: Int64)
    /// Plans and pay for a period (a label like 2026-11; nil: this month).
    case plans(period: String?)
    /// A new plan's form (optionally for a period) and its post.
    case planNew(period: String?)
    /// One plan: its progress with the cumulative chart, its targets' form, approve and delete.
    case plan(id: Int64)
    case planTargets(id: Int64)
    case planApprove(id: Int64)
    case planDelete(id: Int64)
    /// The split screen: a proposal (level, method, grain in the query), and its post that writes the drafts.
    case planSplit(id: Int64, query: String)
    /// A team's month on one screen for the daily meeting: each member's plan, actual, pace and yesterday.
    case planBoard(team: Int64?, date: String?)
    /// Payouts of a month with their statements, approval and the payroll CSV.
    case pay(period: String?)
    case payApprove
    case payCSV(period: String)
    /// The signed-in user's own month: their plan with its chart, their pay to date and what open deals would add.
    case myPlan
    /// One's alerts (open, resolved or all; older ones after a cursor), resolving one, and marking all seen.
    case alerts(show: String?, before: Int64?)
    case alertResolve(id: Int64)
    case alertsSeen
    /// Compensation scheme versions, and the editor of a new one (from an existing one) with its preview.
    case schemes
    case schemeNew(from: Int64?)
    /// KPI targets per role or user, with the form of a new one; deleting one entered by mistake.
    case kpiTargets
    /// SWOT boards (list and new), one board (and its new items' post), an item's task and deletion.
    case swot
    /// A team's call and meeting reviews with the form (on a chosen scorecard) and the scorecards; making and retiring one.
    case teamReviews(team: Int64?, scorecard: Int64?)
    case scorecards
    case scorecardRetire(id: Int64)
    /// Key-customer surveys: the sendings with the form of a new one; one sending; a recipient's new link; the
    /// templates with the form of a new one and retiring one; the NPS report; a respondent's page (no sign-in).
    case surveys
    case survey(id: Int64)
    case surveyReissue(recipient: Int64)
    case surveyTemplates
    case surveyTemplateRetire(id: Int64)
    case surveyReport(by: String?, from: String?, to: String?)
    case surveyAnswer(secret: String)
    /// A user's iCalendar feed at its secret address (no signing in), for their phone's calendar.
    case calendarFeed(secret: String)
    /// A web form's public address: a hosted copy of the form, and where any site's form posts (issue 9).
    case webForm(key: String)
    /// The sales library (list and new, with the onboarding steps), one document (and its change), deleting one;
    /// adding and retiring onboarding steps; a person's training and onboarding, ticking a step, deleting a record.
    case library
    case libraryDocument(id: Int64)
    case libraryDocumentDelete(id: Int64)
    case onboardingSteps
    case onboardingStepRetire(id: Int64)
    case training(user: Int64)
    case trainingTick(user: Int64, step: Int64)
    case trainingDelete(id: Int64)
    case swotBoard(id: Int64)
    case swotItemTask(id: Int64)
    case swotItemDelete(id: Int64)
    case kpiTargetDelete(id: Int64)
    case leads(status: String?, cursor: String?, byScore: Bool = false)
    case leadStatus(id: Int64)
    case leadConvert(id: Int64)
    /// A record list with its query (filters, order, page), already encoded (`ListQuery`).
    case list(RecordListName, query: String)
    case savedViews(RecordListName)
    case savedViewDelete(RecordListName, id: Int64)
    case accountNew
    case account(id: Int64)
    case accountDeals(id: Int64)
    case orderConfirm(id: Int64)
    case accountActivities(id: Int64)
    case contact(id: Int64)
    case contactActivities(id: Int64)
    case lead(id: Int64)
    case leadActivities(id: Int64)
    case order(id: Int64)
    /// The analytics section: the commercial director's overview, and one page per analysis with its query.
    case analytics
    case analysis(AnalysisPage, query: String)
    /// The revenue forecast with its accuracy (issue 10).
    case forecast(query: String)
    case forecastAdjust
    case admin
    case adminSettings
    case adminUsers
    case adminUserNew
    case adminUser(id: Int64)
    case adminTeams
    case adminTeam(id: Int64)
    case adminPipelines
    case adminPipeline(id: Int64)
    case adminStages(pipeline: Int64)
    case adminStage(pipeline: Int64, id: Int64)
    case adminStageDelete(pipeline: Int64, id: Int64)
    case adminLossReasons
    case adminLossReason(id: Int64)
    case adminCustomFields
    case adminCustomField(id: Int64)
    case adminTokens
    /// Web forms, assignment rules and unmapped extensions (issue 9), with their posts.
    case adminIntake
    case adminIntakeForms
    case adminIntakeForm(id: Int64)
    case adminIntakeRules
    case adminIntakeRuleDelete(id: Int64)
    case adminIntakeExtension(extension: String)
    case adminTokenRevoke(id: Int64)
    case adminRegions
    case adminChannels
    case adminLeadSources
    case adminLeadSource(key: String)
    /// The scores' evaluation and training (docs/scoring.md).
    case adminScoring
    case adminScoringTrain
    /// Imports from a file in the background, and one import's progress and report (docs/import.md).
    case imports(kind: String?)
    case importJob(id: Int64)
    /// Outgoing webhook subscriptions (docs/webhooks.md), with their posts.
    case adminWebhooks
    case adminWebhookState(id: Int64)
    case adminWebhookSecret(id: Int64)
    case adminWebhookDelete(id: Int64)

    /// The path a route is registered under.
    var route: String {
        switch self {
        case .home: "/"
        case .signIn, .signInLanguage: "/sign-in"
        case .signOut: "/sign-out"
        case .profile: "/profile"
        case .profileLanguage: "/profile/language"
        case .myShift: "/profile/shift"
        case .callOriginate: "/calls/originate"
        case .profilePassword: "/profile/password"
        case .profileTokens: "/profile/tokens"
        case .profileTokenRevoke: "/profile/tokens/:id/revoke"
        case .profileCalendar: "/profile/calendar"
        case .profileCalendarOff: "/profile/calendar/off"
        case .board: "/board"
        case .dealMove, .dealMoveChoice: "/deals/:id/move"
        case .deal: "/deals/:id"
        case .dealActivities: "/deals/:id/activities"
        case .dealEdit: "/deals/:id/edit"
        case .activityDone: "/activities/:id/done"
        case .orderDesk: "/order-desk"
        case .team: "/team"
        case .teamDaily: "/team/daily"
        case .teamLeaderboard: "/team/leaderboard"
        case .repCard: "/team/reps/:id"
        case .plans: "/plans"
        case .planNew: "/plans/new"
        case .plan: "/plans/:id"
        case .planTargets: "/plans/:id/targets"
        case .planApprove: "/plans/:id/approve"
        case .planDelete: "/plans/:id/delete"
        case .planSplit: "/plans/:id/split"
        case .planBoard: "/plans/board"
        case .pay: "/pay"
        case .payApprove: "/pay/approve"
        case .payCSV: "/pay/payroll.csv"
        case .myPlan: "/my-plan"
        case .alerts: "/alerts"
        case .teamWeekly: "/team/weekly"
        case .kpiTargets: "/kpi-targets"
        case .swot: "/swot"
        case .teamReviews: "/team/reviews"
        case .scorecards: "/scorecards"
        case .scorecardRetire: "/scorecards/:id/retire"
        case .swotBoard: "/swot/:id"
        case .surveys: "/surveys"
        case .survey: "/surveys/:id"
        case .surveyReissue: "/surveys/recipients/:id/reissue"
        case .surveyTemplates: "/survey-templates"
        case .surveyTemplateRetire: "/survey-templates/:id/retire"
        case .surveyReport: "/survey-report"
        case .surveyAnswer: "/q/:secret"
        case .calendarFeed: "/calendar/:secret"
        case .webForm: "/f/:key"
        case .library: "/library"
        case .libraryDocument: "/library/:id"
        case .libraryDocumentDelete: "/library/:id/delete"
        case .onboardingSteps: "/onboarding-steps"
        case .onboardingStepRetire: "/onboarding-steps/:id/retire"
        case .training: "/team/reps/:id/training"
        case .trainingTick: "/team/reps/:id/onboarding/:step"
        case .trainingDelete: "/training/:id/delete"
        case .swotItemTask: "/swot/items/:id/task"
        case .swotItemDelete: "/swot/items/:id/delete"
        case .kpiTargetDelete: "/kpi-targets/:id/delete"
        case .alertResolve: "/alerts/:id/resolve"
        case .alertsSeen: "/alerts/seen"
        case .schemes: "/schemes"
        case .schemeNew: "/schemes/new"
        case .leads: "/leads"
        case .leadStatus: "/leads/:id/status"
        case .leadConvert: "/leads/:id/convert"
        case .analytics: "/analytics"
        case .analysis(let page, _): "/analytics/" + page.rawValue
        case .forecast: "/forecast"
        case .forecastAdjust: "/forecast/adjustments"
        case .list(let list, _): "/" + list.path
        case .savedViews(let list): "/\(list.path)/views"
        case .savedViewDelete(let list, _): "/\(list.path)/views/:id/delete"
        case .accountNew: "/accounts/new"
        case .account: "/accounts/:id"
        case .accountDeals: "/accounts/:id/deals"
        case .orderConfirm: "/orders/:id/confirm"
        case .accountActivities: "/accounts/:id/activities"
        case .contact: "/contacts/:id"
        case .contactActivities: "/contacts/:id/activities"
        case .lead: "/leads/:id"
        case .leadActivities: "/leads/:id/activities"
        case .order: "/orders/:id"
        case .admin: "/admin"
        case .adminSettings: "/admin/settings"
        case .adminUsers: "/admin/users"
        case .adminUserNew: "/admin/users/new"
        case .adminUser: "/admin/users/:id"
        case .adminTeams: "/admin/teams"
        case .adminTeam: "/admin/teams/:id"
        case .adminPipelines: "/admin/pipelines"
        case .adminPipeline: "/admin/pipelines/:id"
        case .adminStages: "/admin/pipelines/:id/stages"
        case .adminStage: "/admin/pipelines/:id/stages/:stage"
        case .adminStageDelete: "/admin/pipelines/:id/stages/:stage/delete"
        case .adminLossReasons: "/admin/loss-reasons"
        case .adminLossReason: "/admin/loss-reasons/:id"
        case .adminCustomFields: "/admin/custom-fields"
        case .adminCustomField: "/admin/custom-fields/:id"
        case .adminTokens: "/admin/tokens"
        case .adminIntake: "/admin/intake"
        case .adminIntakeForms: "/admin/intake/forms"
        case .adminIntakeForm: "/admin/intake/forms/:id"
        case .adminIntakeRules: "/admin/intake/rules"
        case .adminIntakeRuleDelete: "/admin/intake/rules/:id/delete"
        case .adminIntakeExtension: "/admin/intake/extensions/:extension"
        case .adminTokenRevoke: "/admin/tokens/:id/revoke"
        case .imports: "/imports"
        case .importJob: "/imports/:id"
        case .adminWebhooks: "/admin/webhooks"
        case .adminWebhookState: "/admin/webhooks/:id/state"
        case .adminWebhookSecret: "/admin/webhooks/:id/secret"
        case .adminWebhookDelete: "/admin/webhooks/:id/delete"
        case .adminRegions: "/admin/regions"
        case .adminChannels: "/admin/channels"
        case .adminLeadSources: "/admin/lead-sources"
        case .adminLeadSource: "/admin/lead-sources/:key"
        case .adminScoring: "/admin/scoring"
        case .adminScoringTrain: "/admin/scoring/train"
        }
    }

    /// The link, with its query.
    var path: String {
        switch self {
        case .signIn(let next?) where Self.isLocal(next) && next != route:
            route + "?next=" + Self.queryValue(next)
        case .signInLanguage(let language, let next):
            route + "?lang=" + language.rawValue
                + (next.flatMap { Self.isLocal($0) && $0 != route ? "&next=" + Self.queryValue($0) : nil } ?? "")
        case .profileTokenRevoke(let id): "/profile/tokens/\(id)/revoke"
        case .board(let pipeline, let owner, let team, let byScore):
            route + Self.query([("pipeline", pipeline), ("owner", owner), ("team", team)])
                + (byScore ? (pipeline == nil && owner == nil && team == nil ? "?" : "&") + "order=score" : "")
        case .dealMove(let id): "/deals/\(id)/move"
        case .dealMoveChoice(let id, let back): "/deals/\(id)/move" + Self.textQuery([("return", back)])
        case .deal(let id): "/deals/\(id)"
        case .dealActivities(let id): "/deals/\(id)/activities"
        case .dealEdit(let id): "/deals/\(id)/edit"
        case .activityDone(let id): "/activities/\(id)/done"
        case .orderConfirm(let id): "/orders/\(id)/confirm"
        case .accountActivities(let id): "/accounts/\(id)/activities"
        case .contact(let id): "/contacts/\(id)"
        case .contactActivities(let id): "/contacts/\(id)/activities"
        case .lead(let id): "/leads/\(id)"
        case .leadActivities(let id): "/leads/\(id)/activities"
        case .order(let id): "/orders/\(id)"
        case .adminUser(let id): "/admin/users/\(id)"
        case .adminTeam(let id): "/admin/teams/\(id)"
        case .adminPipeline(let id): "/admin/pipelines/\(id)"
        case .adminStages(let pipeline): "/admin/pipelines/\(pipeline)/stages"
        case .adminStage(let pipeline, let id): "/admin/pipelines/\(pipeline)/stages/\(id)"
        case .adminStageDelete(let pipeline, let id): "/admin/pipelines/\(pipeline)/stages/\(id)/delete"
        case .adminLossReason(let id): "/admin/loss-reasons/\(id)"
        case .adminCustomField(let id): "/admin/custom-fields/\(id)"
        case .adminTokenRevoke(let id): "/admin/tokens/\(id)/revoke"
        case .adminWebhookState(let id): "/admin/webhooks/\(id)/state"
        case .imports(let kind): route + Self.textQuery([("kind", kind)])
        case .importJob(let id): "/imports/\(id)"
        case .adminWebhookSecret(let id): "/admin/webhooks/\(id)/secret"
        case .adminWebhookDelete(let id): "/admin/webhooks/\(id)/delete"
        case .adminIntakeForm(let id): "/admin/intake/forms/\(id)"
        case .adminIntakeRuleDelete(let id): "/admin/intake/rules/\(id)/delete"
        case .adminIntakeExtension(let ext): "/admin/intake/extensions/" + ext
        case .adminLeadSource(let key): "/admin/lead-sources/" + Self.queryValue(key)
        case .team(let id): route + Self.query([("team", id)])
        case .teamDaily(let team, let date): route + Self.textQuery([("team", team.map(String.init)), ("date", date)])
        case .teamLeaderboard(let team, let key): route + Self.textQuery([("team", team.map(String.init)), ("key", key)])
        case .teamWeekly(let team, let week): route + Self.textQuery([("team", team.map(String.init)), ("week", week)])
        case .repCard(let id): "/team/reps/\(id)"
        case .alerts(let show, let before): route + Self.textQuery([("show", show), ("before", before.map(String.init))])
        case .alertResolve(let id): "/alerts/\(id)/resolve"
        case .kpiTargetDelete(let id): "/kpi-targets/\(id)/delete"
        case .swotBoard(let id): "/swot/\(id)"
        case .survey(let id): "/surveys/\(id)"
        case .surveyReissue(let id): "/surveys/recipients/\(id)/reissue"
        case .surveyTemplateRetire(let id): "/survey-templates/\(id)/retire"
        case .surveyReport(let by, let from, let to): route + Self.textQuery([("by", by), ("from", from), ("to", to)])
        case .surveyAnswer(let secret): "/q/" + secret
        case .calendarFeed(let secret): "/calendar/" + secret + ".ics"
        case .webForm(let key): "/f/" + key
        case .libraryDocument(let id): "/library/\(id)"
        case .libraryDocumentDelete(let id): "/library/\(id)/delete"
        case .onboardingStepRetire(let id): "/onboarding-steps/\(id)/retire"
        case .training(let user): "/team/reps/\(user)/training"
        case .trainingTick(let user, let step): "/team/reps/\(user)/onboarding/\(step)"
        case .trainingDelete(let id): "/training/\(id)/delete"
        case .teamReviews(let team, let scorecard): route + Self.query([("team", team), ("scorecard", scorecard)])
        case .scorecardRetire(let id): "/scorecards/\(id)/retire"
        case .swotItemTask(let id): "/swot/items/\(id)/task"
        case .swotItemDelete(let id): "/swot/items/\(id)/delete"
        case .plans(let period), .planNew(let period), .pay(let period): route + Self.textQuery([("period", period)])
        case .plan(let id): "/plans/\(id)"
        case .planTargets(let id): "/plans/\(id)/targets"
        case .planApprove(let id): "/plans/\(id)/approve"
        case .planDelete(let id): "/plans/\(id)/delete"
        case .planSplit(let id, let query): "/plans/\(id)/split" + (query.isEmpty ? "" : "?" + query)
        case .planBoard(let team, let date): route + Self.textQuery([("team", team.map(String.init)), ("date", date)])
        case .payCSV(let period): route + Self.textQuery([("period", period)])
        case .schemeNew(let from): route + Self.query([("from", from)])
        case .leads(let status, let cursor, let byScore):
            route + Self.textQuery([("status", status), ("order", byScore ? "score" : nil), ("after", cursor)])
        case .leadStatus(let id): "/leads/\(id)/status"
        case .leadConvert(let id): "/leads/\(id)/convert"
        case .list(_, let query), .analysis(_, let query), .forecast(let query): query.isEmpty ? route : route + "?" + query
        case .savedViewDelete(let list, let id): "/\(list.path)/views/\(id)/delete"
        case .account(let id): "/accounts/\(id)"
        case .accountDeals(let id): "/accounts/\(id)/deals"
        default: route
        }
    }

    /// Only paths on this server are followed after signing in, so a crafted link cannot send a user elsewhere. No
    /// whitespace or control character either: browsers drop a tab or a line break inside an address, so `/<tab>/evil`
    /// would be followed as `//evil`, another site.
    static func isLocal(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.contains("\\")
            && path.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && !$0.properties.isWhitespace }
    }

    /// `path` when it is one to follow back to (a form's `return` or `next`), else nil.
    static func local(_ path: String?) -> String? {
        path.flatMap { isLocal($0) ? $0 : nil }
    }

    /// `?a=1&b=2` of the parameters that are set; nothing when none is.
    private static func query(_ parameters: [(String, Int64?)]) -> String {
        let set = parameters.compactMap { name, value in value.map { "\(name)=\($0)" } }
        return set.isEmpty ? "" : "?" + set.joined(separator: "&")
    }

    private static func textQuery(_ parameters: [(String, String?)]) -> String {
        let set = parameters.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : "\(name)=\(queryValue($0))" } }
        return set.isEmpty ? "" : "?" + set.joined(separator: "&")
    }

    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "/"
    }
}

extension CharacterSet {
    static let urlQueryValueAllowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+?#"))
}
