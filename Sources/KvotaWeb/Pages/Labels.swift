import KvotaCore

// The catalog key that names each value of the core's enums on a page.

extension Role {
    var label: UIKey {
        switch self {
        case .rep: .roleRep
        case .head: .roleHead
        case .orderDesk: .roleOrderDesk
        case .director: .roleDirector
        case .analyst: .roleAnalyst
        case .admin: .roleAdmin
        }
    }
}

extension KvotaCore.Language {
    var label: UIKey {
        switch self {
        case .en: .langEn
        case .ru: .langRu
        case .uk: .langUk
        case .sv: .langSv
        }
    }
}

extension ActivityKind {
    var label: UIKey {
        switch self {
        case .call: .activityCall
        case .meeting: .activityMeeting
        case .task: .activityTask
        case .note: .activityNote
        case .message: .activityMessage
        }
    }
}

extension LeadSource {
    /// The standard sources' catalog keys; own sources have their admin's label.
    var standardLabel: UIKey? {
        switch self {
        case .webForm: .sourceWebForm
        case .inboundCall: .sourceInboundCall
        case .email: .sourceEmail
        case .messenger: .sourceMessenger
        case .referral: .sourceReferral
        case .coldOutreach: .sourceColdOutreach
        case .event: .sourceEvent
        case .other: .sourceOther
        default: nil
        }
    }

    func label(_ t: Localizer, own: [OwnLeadSource]) -> String {
        standardLabel.map { t($0) } ?? own.first { $0.key == rawValue }?.label ?? rawValue
    }

    /// Every source a form or filter offers: the standard ones, then the company's own in use.
    static func options(_ t: Localizer, own: [OwnLeadSource]) -> [(value: String, label: String)] {
        standard.map { ($0.rawValue, $0.label(t, own: own)) } + own.filter(\.active).map { ($0.key, $0.label) }
    }
}

extension StageOutcome {
    var label: UIKey {
        switch self {
        case .open: .dealStatusOpen
        case .won: .dealStatusWon
        case .lost: .dealStatusLost
        }
    }
}

extension OrderStatus {
    var label: UIKey {
        switch self {
        case .draft: .orderStatusDraft
        case .confirmed: .orderStatusConfirmed
        case .shipped: .orderStatusShipped
        case .invoiced: .orderStatusInvoiced
        case .paid: .orderStatusPaid
        case .cancelled: .orderStatusCancelled
        }
    }
}

extension ContactChannel.Kind {
    var label: UIKey {
        switch self {
        case .phone: .channelPhone
        case .email: .channelEmail
        case .telegram: .channelTelegram
        case .whatsapp: .channelWhatsapp
        case .viber: .channelViber
        case .signal: .channelSignal
        case .skype: .channelSkype
        case .other: .channelOther
        }
    }
}

extension LeadStatus {
    var label: UIKey {
        switch self {
        case .new: .leadsTabNew
        case .inWork: .leadsTabInWork
        case .qualified: .leadsTabQualified
        case .disqualified: .leadsTabDisqualified
        case .converted: .leadsTabConverted
        }
    }
}

extension KPI {
    /// Every KPI's name is the catalog key `kpi.<key>` (a test checks each has one).
    var label: UIKey { UIKey(rawValue: "kpi." + rawValue) ?? .leaderboardKPI }

    /// The value as the reader's locale writes it in the KPI's unit; a dash for none.
    func text(_ value: Double?, _ t: Localizer, currency: Currency) -> String {
        guard let value else { return t(.commonNone) }
        return switch unit {
        case .count: t.number(Int64(value.rounded()))
        case .money: t.money(Money(minorUnits: Int64(value.rounded()), currency: currency), showMinorUnits: false)
        case .share where self == .hhi: t.decimal((value * 1000).rounded() / 1000)
        case .share: t.percent(value, fractionDigits: 1)
        case .seconds: t.duration(Int(value.rounded()))
        case .days: t.decimal((value * 10).rounded() / 10)
        }
    }
}
