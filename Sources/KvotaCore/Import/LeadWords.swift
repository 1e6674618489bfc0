import Foundation

/// The words other systems' lead exports use for a lead's source and status, in the four languages, compared without
/// case, spaces, dashes and underscores ("Phone Inquiry", "Working - Contacted", "Входящий звонок").
public enum LeadWords {
    public static func key(_ text: String) -> String {
        text.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" && $0 != "." }
    }

    private static let sources: [String: LeadSource] = {
        let words: [LeadSource: [String]] = [
            .webForm: ["webform", "web", "website", "form", "сайт", "вебформа", "формаясайте", "webbformulär", "webb", "webbplats"],
            .inboundCall: ["inboundcall", "phone", "phoneinquiry", "call", "звонок", "входящийзвонок", "дзвінок", "вхіднийдзвінок",
                           "telefon", "samtal", "inkommandesamtal"],
            .email: ["email", "mail", "почта", "пошта", "epost"],
            .messenger: ["messenger", "chat", "telegram", "whatsapp", "viber", "мессенджер", "месенджер", "чат"],
            .referral: ["referral", "partnerreferral", "employeereferral", "рекомендация", "рекомендація", "rekommendation", "partner"],
            .coldOutreach: ["coldoutreach", "coldcall", "outbound", "purchasedlist", "холодныйзвонок", "холоднийдзвінок", "kallsamtal",
                            "kallkontakt"],
            .event: ["event", "tradeshow", "seminar", "conference", "webinar", "выставка", "мероприятие", "виставка", "захід", "mässa",
                     "evenemang"],
            .other: ["other", "другое", "прочее", "інше", "övrigt", "annat"],
        ]
        return Dictionary(uniqueKeysWithValues: words.flatMap { source, words in words.map { ($0, source) } })
    }()

    private static let statuses: [String: LeadStatus] = {
        let words: [LeadStatus: [String]] = [
            .new: ["new", "open", "opennotcontacted", "notcontacted", "новый", "новая", "новий", "нова", "ny"],
            .inWork: ["inwork", "working", "workingcontacted", "contacted", "inprogress", "вработе", "уроботі", "pågående", "kontaktad"],
            .qualified: ["qualified", "квалифицирован", "квалифицирована", "кваліфікований", "кваліфікована", "kvalificerad"],
            .disqualified: ["disqualified", "unqualified", "notqualified", "closednotconverted", "дисквалифицирован",
                            "дисквалифицирована", "дискваліфікований", "дискваліфікована", "diskvalificerad"],
            .converted: ["converted", "closedconverted", "конвертирован", "сконвертирован", "конвертований", "konverterad"],
        ]
        return Dictionary(uniqueKeysWithValues: words.flatMap { status, words in words.map { ($0, status) } })
    }()

    /// A standard source by its key or another system's word for it; nil for one of the company's own or unknown.
    public static func source(_ text: String) -> LeadSource? {
        let key = key(text)
        return LeadSource.standard.first { Self.key($0.rawValue) == key } ?? sources[key]
    }

    public static func status(_ text: String) -> LeadStatus? {
        let key = key(text)
        return LeadStatus.allCases.first { Self.key($0.rawValue) == key } ?? statuses[key]
    }
}
