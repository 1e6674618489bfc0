import Foundation

/// A document of the sales library (issue 8, "Scripts and regulations library"): a call or meeting script, a
/// regulation (how the department works: discounts, hand-over to the order desk), or a guide; linked from the
/// pipeline stages where a rep needs it, so the deal page offers it at the right step.
public struct LibraryDocument: Hashable, Sendable {
    public typealias ID = Identifier<LibraryDocument>

    public enum Kind: String, CaseIterable, Sendable, Codable {
        case script, regulation, guide
    }

    public var id: ID
    public var kind: Kind
    public var title: String
    public var body: String
    /// The stages that link to it.
    public var stageIDs: [Stage.ID]
    public var updatedAt: Date
    public var version: Int64

    public init(id: ID, kind: Kind, title: String, body: String, stageIDs: [Stage.ID] = [], updatedAt: Date, version: Int64 = 1) {
        self.id = id; self.kind = kind; self.title = title; self.body = body; self.stageIDs = stageIDs; self.updatedAt = updatedAt; self.version = version
    }

    public static func check(title: String, body: String, into errors: inout ValidationFailure.Collector) {
        errors.check(!title.isEmpty && title.count <= 200, "title", "expected 1 to 200 characters")
        errors.check(!body.isEmpty && body.count <= 100_000, "body", "expected 1 to 100000 characters")
    }
}

/// One training of a rep (issue 8, "training records"): a course, a webinar or a mentoring session, with its dates
/// and result. Owned by the rep trained, so it is read and kept as their reviews are.
public struct TrainingRecord: Hashable, Sendable {
    public typealias ID = Identifier<TrainingRecord>

    public enum Kind: String, CaseIterable, Sendable, Codable {
        case course, webinar, mentoring
    }

    public enum Result: String, CaseIterable, Sendable, Codable {
        case planned
        case attended
        case passed
        case failed
    }

    public var id: ID
    public var userID: User.ID
    public var kind: Kind
    public var title: String
    public var startsOn: LocalDate
    public var endsOn: LocalDate?
    /// Who mentored (mentoring) or taught.
    public var mentorID: User.ID?
    public var result: Result
    /// A test score or grade in percent, when there was one.
    public var score: Int?
    public var notes: String
    public var version: Int64

    public init(id: ID, userID: User.ID, kind: Kind, title: String, startsOn: LocalDate, endsOn: LocalDate? = nil, mentorID: User.ID? = nil,
                result: Result, score: Int? = nil, notes: String = "", version: Int64 = 1) {
        self.id = id; self.userID = userID; self.kind = kind; self.title = title; self.startsOn = startsOn; self.endsOn = endsOn
        self.mentorID = mentorID; self.result = result; self.score = score; self.notes = notes; self.version = version
    }

    /// Every problem of a record's own fields, named.
    public func check(into errors: inout ValidationFailure.Collector) {
        errors.check(!title.isEmpty && title.count <= 200, "title", "expected 1 to 200 characters")
        if let endsOn { errors.check(endsOn >= startsOn, "endsOn", "expected on or after startsOn (\(startsOn.iso)), got \(endsOn.iso)") }
        if let score { errors.check((0...100).contains(score), "score", "expected 0 to 100 (percent), got \(score)") }
        errors.check(notes.count <= 4_000, "notes", "expected at most 4000 characters")
        errors.check(result != .planned || score == nil, "score", "a planned training has no score yet")
    }
}

/// A step of the onboarding checklist every new rep goes through ("meet the order desk", "first 20 calls
/// reviewed"); each rep's progress is the steps ticked for them.
public struct OnboardingStep: Hashable, Sendable {
    public typealias ID = Identifier<OnboardingStep>

    public var id: ID
    public var text: String
    public var position: Int
    public var active: Bool

    public init(id: ID, text: String, position: Int, active: Bool = true) {
        self.id = id; self.text = text; self.position = position; self.active = active
    }
}

/// A rep's onboarding: every active step with when it was ticked and by whom.
public struct Onboarding: Hashable, Sendable {
    public struct Item: Hashable, Sendable {
        public var step: OnboardingStep
        public var doneAt: Date?
        public var doneBy: User.ID?

        public init(step: OnboardingStep, doneAt: Date? = nil, doneBy: User.ID? = nil) { self.step = step; self.doneAt = doneAt; self.doneBy = doneBy }
    }

    public var userID: User.ID
    public var items: [Item]

    public init(userID: User.ID, items: [Item]) { self.userID = userID; self.items = items }

    public var done: Int { items.filter { $0.doneAt != nil }.count }
}
