import Foundation

/// A scorecard for quality control (issue 8, "Call and meeting reviews"): weighted criteria a head scores a rep's call,
/// meeting or a test purchase ("mystery shopper") on, each from 0 to `maxScore`. A scorecard is not changed once made
/// (reviews keep the criteria they were scored on); a new one replaces it, the old one is retired.
public struct Scorecard: Hashable, Sendable {
    public typealias ID = Identifier<Scorecard>

    public struct Criterion: Hashable, Sendable, Codable {
        public var name: String
        public var weight: Double

        public init(name: String, weight: Double) { self.name = name; self.weight = weight }
    }

    public var id: ID
    public var name: String
    public var criteria: [Criterion]
    public var maxScore: Int
    public var active: Bool
    public var createdAt: Date

    public init(id: ID, name: String, criteria: [Criterion], maxScore: Int = 5, active: Bool = true, createdAt: Date) {
        self.id = id; self.name = name; self.criteria = criteria; self.maxScore = maxScore; self.active = active; self.createdAt = createdAt
    }

    /// Every problem of a new scorecard, named (`criteria[1].weight`).
    public static func check(name: String, criteria: [Criterion], maxScore: Int, into errors: inout ValidationFailure.Collector) {
        errors.check(!name.isEmpty && name.count <= 200, "name", "expected 1 to 200 characters")
        errors.check(!criteria.isEmpty && criteria.count <= 30, "criteria", "expected 1 to 30 criteria")
        errors.check((1...100).contains(maxScore), "maxScore", "expected 1 to 100")
        for (index, criterion) in criteria.enumerated() {
            errors.check(!criterion.name.isEmpty && criterion.name.count <= 200, "criteria[\(index)].name", "expected 1 to 200 characters")
            errors.check(criterion.weight > 0 && criterion.weight <= 100, "criteria[\(index)].weight", "expected more than 0, at most 100")
        }
        errors.check(Set(criteria.map(\.name)).count == criteria.count, "criteria", "each criterion needs its own name")
    }
}

/// One scored call, meeting or test purchase of a rep.
public struct Review: Hashable, Sendable {
    public typealias ID = Identifier<Review>

    public enum Subject: String, CaseIterable, Sendable, Codable {
        case call, meeting
        /// A "mystery shopper": someone posing as a customer.
        case testPurchase = "test_purchase"
    }

    /// A criterion as scored: its name and weight when scored, and the score.
    public struct Score: Hashable, Sendable, Codable {
        public var criterion: String
        public var weight: Double
        public var score: Int

        public init(criterion: String, weight: Double, score: Int) { self.criterion = criterion; self.weight = weight; self.score = score }
    }

    public var id: ID
    public var scorecardID: Scorecard.ID
    public var repID: User.ID
    public var reviewerID: User.ID
    public var subject: Subject
    /// The call or meeting reviewed, when it is in Kvota.
    public var activityID: Int64?
    public var occurredOn: LocalDate
    public var scores: [Score]
    public var maxScore: Int
    public var comment: String?
    public var createdAt: Date

    public init(id: ID, scorecardID: Scorecard.ID, repID: User.ID, reviewerID: User.ID, subject: Subject, activityID: Int64?, occurredOn: LocalDate,
                scores: [Score], maxScore: Int, comment: String?, createdAt: Date) {
        self.id = id; self.scorecardID = scorecardID; self.repID = repID; self.reviewerID = reviewerID; self.subject = subject
        self.activityID = activityID; self.occurredOn = occurredOn; self.scores = scores; self.maxScore = maxScore; self.comment = comment
        self.createdAt = createdAt
    }

    /// The weighted score as a fraction of the best possible: Σ weight × score / Σ weight × max.
    public var total: Double {
        let best = scores.reduce(0.0) { $0 + $1.weight * Double(maxScore) }
        return best > 0 ? scores.reduce(0.0) { $0 + $1.weight * Double($1.score) } / best : 0
    }

    /// The scores of a scorecard's criteria from `given` (by criterion name), each problem named (`scores.Greeting`).
    public static func scores(_ given: [String: Int], on card: Scorecard, into errors: inout ValidationFailure.Collector) -> [Score] {
        for name in given.keys where !card.criteria.contains(where: { $0.name == name }) {
            errors.check(false, "scores.\(name)", "no such criterion on \(card.name)")
        }
        return card.criteria.compactMap { criterion in
            guard let score = given[criterion.name] else {
                errors.check(false, "scores.\(criterion.name)", "is required (0 to \(card.maxScore))")
                return nil
            }
            errors.check((0...card.maxScore).contains(score), "scores.\(criterion.name)", "expected 0 to \(card.maxScore), got \(score)")
            return Score(criterion: criterion.name, weight: criterion.weight, score: score)
        }
    }

    /// Each rep's mean total per month, over `reviews`: what "scores per rep over time" shows.
    public static func monthly(_ reviews: [Review]) -> [User.ID: [(month: Period, mean: Double, count: Int)]] {
        var sums: [User.ID: [Period: (Double, Int)]] = [:]
        for review in reviews {
            let month = Period(.month, containing: review.occurredOn)
            let (sum, count) = sums[review.repID, default: [:]][month] ?? (0, 0)
            sums[review.repID, default: [:]][month] = (sum + review.total, count + 1)
        }
        return sums.mapValues { months in
            months.keys.sorted().map { (month: $0, mean: months[$0]!.0 / Double(months[$0]!.1), count: months[$0]!.1) }
        }
    }
}
