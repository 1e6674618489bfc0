import KvotaCore

/// The parts of the settings area. Each is shown to whoever the access policy lets change its records, so the menu,
/// the index page and the routes agree.
enum AdminSection: CaseIterable, Sendable {
    case settings, users, teams, regions, pipelines, lossReasons, leadSources, customFields, tokens, webhooks, intake, scoring

    var label: UIKey {
        switch self {
        case .settings: .adminSettings
        case .users: .adminUsers
        case .teams: .adminTeams
        case .regions: .adminRegions
        case .pipelines: .adminPipelines
        case .lossReasons: .adminLossReasons
        case .customFields: .adminCustomFields
        case .tokens: .adminTokens
        case .webhooks: .adminWebhooks
        case .leadSources: .adminLeadSources
        case .intake: .adminIntake
        case .scoring: .adminScoring
        }
    }

    var explain: UIKey {
        switch self {
        case .settings: .adminSettingsExplain
        case .users: .adminUsersExplain
        case .teams: .adminTeamsExplain
        case .regions: .adminRegionsExplain
        case .pipelines: .adminPipelinesExplain
        case .lossReasons: .adminLossReasonsExplain
        case .customFields: .adminCustomFieldsExplain
        case .tokens: .adminTokensExplain
        case .webhooks: .adminWebhooksExplain
        case .leadSources: .adminLeadSourcesExplain
        case .intake: .adminIntakeExplain
        case .scoring: .adminScoringExplain
        }
    }

    var url: SiteURL {
        switch self {
        case .settings: .adminSettings
        case .users: .adminUsers
        case .teams: .adminTeams
        case .regions: .adminRegions
        case .pipelines: .adminPipelines
        case .lossReasons: .adminLossReasons
        case .customFields: .adminCustomFields
        case .tokens: .adminTokens
        case .webhooks: .adminWebhooks
        case .leadSources: .adminLeadSources
        case .intake: .adminIntake
        case .scoring: .adminScoring
        }
    }

    var kind: RecordKind {
        switch self {
        case .settings: .settings
        case .users: .user
        case .teams: .team
        case .regions: .region
        case .pipelines: .pipeline
        case .lossReasons: .lossReason
        case .customFields: .customField
        case .tokens, .webhooks: .integration
        case .leadSources: .leadSource
        case .intake: .webForm
        case .scoring: .settings
        }
    }

    func isVisible(to actor: Actor) -> Bool {
        AccessPolicy.scope(actor, .update, kind) != .nothing
    }

    static func visible(to actor: Actor) -> [AdminSection] {
        allCases.filter { $0.isVisible(to: actor) }
    }
}
