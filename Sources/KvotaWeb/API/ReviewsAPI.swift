import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/scorecards` and `/api/v1/reviews` (issue 8, quality control): scorecards of weighted criteria, a head's
/// review of a rep's call, meeting or test purchase, and each rep's scores month by month.
struct ReviewsAPI {
    let database: Database
    let config: AppConfig

    struct CardDTO: Encodable {
        let id: Int64
        let name: String
        let criteria: [Scorecard.Criterion]
        let maxScore: Int
        let active: Bool
        let createdAt: Date

        init(_ card: Scorecard) {
            id = card.id.rawValue; name = card.name; criteria = card.criteria; maxScore = card.maxScore; active = card.active; createdAt = card.createdAt
        }
    }

    struct ReviewDTO: Encodable {
        let id: Int64
        let scorecardId: Int64
        let repId: Int64
        let reviewerId: Int64
        let subject: String
        let activityId: Int64?
        let occurredOn: String
        let scores: [Review.Score]
        let maxScore: Int
        let total: Double
        let comment: String?
        let createdAt: Date

        init(_ review: Review) {
            id = review.id.rawValue; scorecardId = review.scorecardID.rawValue; repId = review.repID.rawValue; reviewerId = review.reviewerID.rawValue
            subject = review.subject.rawValue; activityId = review.activityID; occurredOn = review.occurredOn.iso; scores = review.scores
            maxScore = review.maxScore; total = review.total; comment = review.comment; createdAt = review.createdAt
        }

        enum CodingKeys: String, CodingKey {
            case id, scorecardId, repId, reviewerId, subject, activityId, occurredOn, scores, maxScore, total, comment, createdAt
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(scorecardId, forKey: .scorecardId); try c.encode(repId, forKey: .repId)
            try c.encode(reviewerId, forKey: .reviewerId); try c.encode(subject, forKey: .subject); try c.encode(activityId, forKey: .activityId)
            try c.encode(occurredOn, forKey: .occurredOn); try c.encode(scores, forKey: .scores); try c.encode(maxScore, forKey: .maxScore)
            try c.encode(total, forKey: .total); try c.encode(comment, forKey: .comment); try c.encode(createdAt, forKey: .createdAt)
        }
    }

    struct Trend: Encodable {
        struct Month: Encodable { let month: String; let mean: Double; let count: Int }
        struct Rep: Encodable { let repId: Int64; let name: String; let months: [Month] }
        let items: [Rep]
    }

    struct NewCard: Decodable { let name: String?; let criteria: [Scorecard.Criterion]?; let maxScore: Int? }
    struct NewReview: Decodable {
        let scorecardId: Int64?
        let repId: Int64?
        let subject: String?
        let activityId: Int64?
        let occurredOn: String?
        let scores: [String: Int]?
        let comment: String?
    }

    struct Cards: Encodable { let items: [CardDTO] }
    struct Reviews: Encodable { let items: [ReviewDTO] }

    static func filter(_ parameters: Parameters, into errors: inout ValidationFailure.Collector) -> ReviewFilter {
        ReviewFilter(rep: ListParameters.id(parameters, "rep", into: &errors).map { User.ID($0) }, from: ListParameters.date(parameters, "from", into: &errors),
                     through: ListParameters.date(parameters, "to", into: &errors))
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/scorecards") { _, context -> Response in
            try JSONBody.response(Cards(items: try await database.scorecards(for: context.actor).map(CardDTO.init)))
        }
        api.post("/scorecards") { request, context -> Response in
            let body = try await JSONBody.decode(NewCard.self, from: request)
            let card = try await database.addScorecard(name: body.name, criteria: body.criteria, maxScore: body.maxScore, by: context.actor,
                                                       at: config.now(), address: context.address)
            return try JSONBody.response(CardDTO(card), status: .created)
        }
        api.post("/scorecards/:id/retire") { request, context -> Response in
            try await database.retireScorecard(Scorecard.ID(try request.id(.scorecard, context: context)), by: context.actor, at: config.now(),
                                               address: context.address)
            return Response(status: .noContent)
        }
        api.get("/reviews") { request, context -> Response in
            var errors = ValidationFailure.Collector()
            let filter = Self.filter(request.uri.queryParameters, into: &errors)
            try errors.finish()
            return try JSONBody.response(Reviews(items: try await database.reviews(for: context.actor, filter).map(ReviewDTO.init)))
        }
        api.get("/reviews/trend") { request, context -> Response in
            var errors = ValidationFailure.Collector()
            let filter = Self.filter(request.uri.queryParameters, into: &errors)
            try errors.finish()
            let monthly = Review.monthly(try await database.reviews(for: context.actor, filter))
            let names = try await database.userNames()
            return try JSONBody.response(Trend(items: monthly.keys.sorted { $0.rawValue < $1.rawValue }.map { rep in
                Trend.Rep(repId: rep.rawValue, name: names[rep] ?? "#\(rep)", months: monthly[rep]!.map {
                    Trend.Month(month: $0.month.label, mean: $0.mean, count: $0.count)
                })
            }))
        }
        api.post("/reviews") { request, context -> Response in
            let body = try await JSONBody.decode(NewReview.self, from: request)
            var errors = ValidationFailure.Collector()
            let subject = decodeKey(body.subject, as: Review.Subject.self, field: "subject", into: &errors)
            var day: LocalDate?
            if let text = body.occurredOn {
                day = try? LocalDate(iso: text, field: "occurredOn")
                errors.check(day != nil, "occurredOn", "expected a date like 2026-11-01, got '\(text)'")
            }
            let review = try await database.addReview(scorecard: body.scorecardId.map { Scorecard.ID($0) }, rep: body.repId.map { User.ID($0) },
                                                      subject: subject, activity: body.activityId, occurredOn: day, scores: body.scores ?? [:],
                                                      comment: body.comment, problems: errors, by: context.actor, at: config.now(),
                                                      address: context.address)
            return try JSONBody.response(ReviewDTO(review), status: .created)
        }
    }
}
