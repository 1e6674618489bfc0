import Foundation

/// A key-customer survey template (issue 8, "The manager's toolkit"): questions on a scale, free-text questions and at
/// most one NPS question ("how likely are you to recommend us", 0 to 10). A template is not changed once made
/// (answers refer to its questions by key); a new one replaces it, the old one is retired.
public struct SurveyTemplate: Hashable, Sendable {
    public typealias ID = Identifier<SurveyTemplate>

    public struct Question: Hashable, Sendable, Codable {
        public enum Kind: String, CaseIterable, Sendable, Codable {
            /// 0 to 10; 9–10 promoters, 7–8 passives, 0–6 detractors.
            case nps
            /// `min` to `max` (default 1 to 5); satisfaction is read from these.
            case scale
            case text
        }

        /// `q1`, `q2`, … in order: the field a respondent's answer comes in.
        public var key: String
        public var kind: Kind
        public var text: String
        public var min: Int
        public var max: Int
        public var required: Bool

        public init(key: String, kind: Kind, text: String, min: Int? = nil, max: Int? = nil, required: Bool = true) {
            self.key = key; self.kind = kind; self.text = text; self.required = required
            switch kind {
            case .nps: self.min = 0; self.max = 10
            case .scale: self.min = min ?? 1; self.max = max ?? 5
            case .text: self.min = 0; self.max = 0
            }
        }
    }

    public var id: ID
    public var name: String
    /// Shown above the questions (who asks and why).
    public var intro: String
    public var questions: [Question]
    public var active: Bool
    public var createdAt: Date

    public init(id: ID, name: String, intro: String, questions: [Question], active: Bool = true, createdAt: Date) {
        self.id = id; self.name = name; self.intro = intro; self.questions = questions; self.active = active; self.createdAt = createdAt
    }

    /// Every problem of a new template, named (`questions[1].max`).
    public static func check(name: String, intro: String, questions: [Question], into errors: inout ValidationFailure.Collector) {
        errors.check(!name.isEmpty && name.count <= 200, "name", "expected 1 to 200 characters")
        errors.check(intro.count <= 2_000, "intro", "expected at most 2000 characters")
        errors.check(!questions.isEmpty && questions.count <= 30, "questions", "expected 1 to 30 questions")
        errors.check(questions.filter { $0.kind == .nps }.count <= 1, "questions", "expected at most one NPS question")
        for (index, question) in questions.enumerated() {
            errors.check(!question.text.isEmpty && question.text.count <= 500, "questions[\(index)].text", "expected 1 to 500 characters")
            if question.kind == .scale {
                errors.check((0...10).contains(question.min), "questions[\(index)].min", "expected 0 to 10, got \(question.min)")
                errors.check((1...10).contains(question.max) && question.max > question.min, "questions[\(index)].max",
                             "expected more than min, at most 10, got \(question.max)")
            }
        }
    }

    /// A respondent's answers from a form (`q1=9&q3=…`), every problem named by the question's key: a required one
    /// unanswered, a score off the scale, a text too long. Blank optional answers are left out.
    public func answers(from form: [String: String]) throws(ValidationFailure) -> [SurveyAnswer] {
        var errors = ValidationFailure.Collector()
        var answers: [SurveyAnswer] = []
        for question in questions {
            let given = form[question.key]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if given.isEmpty {
                errors.check(!question.required, question.key, "is required")
                continue
            }
            switch question.kind {
            case .text:
                errors.check(given.count <= 4_000, question.key, "expected at most 4000 characters")
                answers.append(SurveyAnswer(key: question.key, text: given))
            case .nps, .scale:
                guard let score = Int(given), (question.min...question.max).contains(score) else {
                    errors.check(false, question.key, "expected a whole number from \(question.min) to \(question.max), got '\(given)'")
                    continue
                }
                answers.append(SurveyAnswer(key: question.key, score: score))
            }
        }
        try errors.finish()
        return answers
    }

    /// The response's NPS score (0–10) and satisfaction (the mean of its scale answers, each as a fraction of its
    /// scale: 4 on 1–5 is 0.75), nil when it has none.
    public func measures(of answers: [SurveyAnswer]) -> (nps: Int?, satisfaction: Double?) {
        let byKey = Dictionary(uniqueKeysWithValues: answers.map { ($0.key, $0) })
        var nps: Int?, fractions: [Double] = []
        for question in questions {
            guard let score = byKey[question.key]?.score else { continue }
            switch question.kind {
            case .nps: nps = score
            case .scale: fractions.append(Double(score - question.min) / Double(question.max - question.min))
            case .text: break
            }
        }
        return (nps, fractions.isEmpty ? nil : fractions.reduce(0, +) / Double(fractions.count))
    }
}

/// One answer of a response: a score or a text, by the question's key.
public struct SurveyAnswer: Hashable, Sendable, Codable {
    public var key: String
    public var score: Int?
    public var text: String?

    public init(key: String, score: Int? = nil, text: String? = nil) { self.key = key; self.score = score; self.text = text }
}

/// One sending of a template to contacts of chosen accounts, each with a link of their own that needs no sign-in.
public struct Survey: Hashable, Sendable {
    public typealias ID = Identifier<Survey>

    public var id: ID
    public var templateID: SurveyTemplate.ID
    public var title: String
    /// The last day answers are taken (company time zone); nil: open.
    public var closesOn: LocalDate?
    public var createdBy: User.ID?
    public var createdAt: Date

    public init(id: ID, templateID: SurveyTemplate.ID, title: String, closesOn: LocalDate?, createdBy: User.ID?, createdAt: Date) {
        self.id = id; self.templateID = templateID; self.title = title; self.closesOn = closesOn; self.createdBy = createdBy; self.createdAt = createdAt
    }
}

/// A contact's link to a survey and, once they answered, their response.
public struct SurveyRecipient: Hashable, Sendable {
    public typealias ID = Identifier<SurveyRecipient>

    public var id: ID
    public var surveyID: Survey.ID
    public var accountID: Account.ID
    public var contactID: Contact.ID
    public var email: String?
    public var openedAt: Date?
    public var answeredAt: Date?
    /// The account's owner when the answer came: whom "by manager" credits.
    public var managerID: User.ID?
    public var answers: [SurveyAnswer]
    public var nps: Int?
    public var satisfaction: Double?

    public init(id: ID, surveyID: Survey.ID, accountID: Account.ID, contactID: Contact.ID, email: String?, openedAt: Date? = nil,
                answeredAt: Date? = nil, managerID: User.ID? = nil, answers: [SurveyAnswer] = [], nps: Int? = nil, satisfaction: Double? = nil) {
        self.id = id; self.surveyID = surveyID; self.accountID = accountID; self.contactID = contactID; self.email = email
        self.openedAt = openedAt; self.answeredAt = answeredAt; self.managerID = managerID; self.answers = answers; self.nps = nps
        self.satisfaction = satisfaction
    }
}

/// Net Promoter Score and satisfaction of a group of responses (docs/metrics.md "Surveys").
public struct SurveySummary: Hashable, Sendable {
    public var responses = 0
    public var promoters = 0
    public var passives = 0
    public var detractors = 0
    /// % promoters − % detractors of the responses with an NPS answer, −100 to 100; nil without any.
    public var nps: Double? {
        let rated = promoters + passives + detractors
        return rated == 0 ? nil : Double(promoters - detractors) / Double(rated) * 100
    }
    /// The mean of the responses' satisfaction, 0 to 1; nil without any.
    public var satisfaction: Double? { satisfactionCount == 0 ? nil : satisfactionSum / Double(satisfactionCount) }

    private var satisfactionSum = 0.0
    private var satisfactionCount = 0

    public init() {}

    public init<S: Sequence>(_ recipients: S) where S.Element == SurveyRecipient {
        for recipient in recipients where recipient.answeredAt != nil { add(nps: recipient.nps, satisfaction: recipient.satisfaction) }
    }

    public mutating func add(nps score: Int?, satisfaction: Double?) {
        responses += 1
        switch score {
        case .some(9...10): promoters += 1
        case .some(7...8): passives += 1
        case .some: detractors += 1
        case nil: break
        }
        if let satisfaction { satisfactionSum += satisfaction; satisfactionCount += 1 }
    }
}
