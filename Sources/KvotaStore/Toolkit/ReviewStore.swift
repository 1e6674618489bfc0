import Foundation
import KvotaCore
import SQLKit

/// Which reviews to list.
public struct ReviewFilter: Hashable, Sendable {
    public var rep: User.ID?
    public var from: LocalDate?
    public var through: LocalDate?

    public init(rep: User.ID? = nil, from: LocalDate? = nil, through: LocalDate? = nil) {
        self.rep = rep; self.from = from; self.through = through
    }
}

/// Scorecards and reviews. A review is owned by the rep reviewed, so `AccessPolicy`'s `.review` reach and
/// `RecordAccess` decide who sees it as for any owned record.
extension Database {
    public func scorecards(for actor: Actor) async throws -> [Scorecard] {
        _ = try AccessPolicy.require(actor, .list, .scorecard)
        return try await read { sql in try await Self.scorecards(in: sql) }
    }

    public func addScorecard(name: String?, criteria: [Scorecard.Criterion]?, maxScore: Int?, by actor: Actor, at now: Date,
                             address: String? = nil) async throws -> Scorecard {
        _ = try AccessPolicy.require(actor, .create, .scorecard)
        var errors = ValidationFailure.Collector()
        let name = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let criteria = (criteria ?? []).map { Scorecard.Criterion(name: $0.name.trimmingCharacters(in: .whitespacesAndNewlines), weight: $0.weight) }
        Scorecard.check(name: name, criteria: criteria, maxScore: maxScore ?? 5, into: &errors)
        try errors.finish()
        let json = String(decoding: try Self.payEncoder.encode(criteria), as: UTF8.self)
        return try await write { sql in
            let row = try await sql.raw("""
                INSERT INTO scorecards (name, criteria, max_score, created_at, created_by)
                VALUES (\(bind: name), \(bind: json), \(bind: maxScore ?? 5), \(bind: now.epochMilliseconds), \(bind: actor.userID.rawValue))
                RETURNING id
                """).first()
            let card = Scorecard(id: .init(try row!.decode(column: "id", as: Int64.self)), name: name, criteria: criteria, maxScore: maxScore ?? 5,
                                 createdAt: now)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "scorecard", entityID: card.id.rawValue,
                                            changes: AuditLog.created([("name", name), ("criteria", json), ("maxScore", String(card.maxScore))]),
                                            address: address), in: sql)
            return card
        }
    }

    /// Retires a scorecard: no new reviews on it; its reviews stay.
    public func retireScorecard(_ id: Scorecard.ID, by actor: Actor, at now: Date, address: String? = nil) async throws {
        _ = try AccessPolicy.require(actor, .update, .scorecard)
        try await write { sql in
            guard try await Self.scorecards(in: sql).contains(where: { $0.id == id }) else { throw AccessDenied.notFound(.scorecard, id: id.rawValue) }
            try await sql.raw("UPDATE scorecards SET active = FALSE WHERE id = \(bind: id.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "scorecard", entityID: id.rawValue,
                                            changes: [.init("active", old: "true", new: "false")], address: address), in: sql)
        }
    }

    public func reviews(for actor: Actor, _ filter: ReviewFilter = ReviewFilter()) async throws -> [Review] {
        _ = try AccessPolicy.require(actor, .list, .review)
        var conditions: [SQLQueryString] = [RecordAccess.condition(actor, .list, .review, row: "r")]
        if let rep = filter.rep { conditions.append("r.owner_id = \(bind: rep.rawValue)") }
        if let from = filter.from { conditions.append("r.occurred_on >= \(bind: from.key)") }
        if let through = filter.through { conditions.append("r.occurred_on <= \(bind: through.key)") }
        return try await read { sql in
            try await sql.raw("SELECT r.* FROM reviews r WHERE \(conditions.joined(separator: " AND ")) ORDER BY r.occurred_on DESC, r.id DESC LIMIT 1000")
                .all().map(Self.review)
        }
    }

    /// A head (or director, admin) scores a rep's call, meeting or test purchase on an active scorecard; `scores` by
    /// criterion name. A call or meeting in Kvota must be the rep's own.
    public func addReview(scorecard: Scorecard.ID?, rep: User.ID?, subject: Review.Subject?, activity: Int64?, occurredOn: LocalDate?,
                          scores: [String: Int], comment: String?, problems: ValidationFailure.Collector = .init(), by actor: Actor,
                          at now: Date, address: String? = nil) async throws -> Review {
        let reach = try AccessPolicy.require(actor, .create, .review)
        var errors = problems
        errors.check(scorecard != nil || problems.has("scorecardId"), "scorecardId", "is required")
        errors.check(rep != nil || problems.has("repId"), "repId", "is required")
        errors.check(subject != nil || problems.has("subject"), "subject", "is required (call, meeting or test_purchase)")
        if let rep { errors.check(reach.allows(owner: rep), "repId", "you may not review user \(rep)") }
        let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        errors.check((comment ?? "").count <= 4_000, "comment", "at most 4000 characters")
        let zone = try await companyTimeZone()
        return try await write { sql in
            var scored: [Review.Score] = []
            var maxScore = 5
            if let scorecard {
                if let card = try await Self.scorecards(in: sql).first(where: { $0.id == scorecard }), card.active {
                    scored = Review.scores(scores, on: card, into: &errors)
                    maxScore = card.maxScore
                } else {
                    errors.check(false, "scorecardId", "no active scorecard \(scorecard)")
                }
            }
            var day = occurredOn
            if let activity {
                let row = try await sql.raw("SELECT kind, owner_id, occurred_at FROM activities WHERE id = \(bind: activity)").first()
                let owner = try row?.decode(column: "owner_id", as: Int64.self)
                let kind = try row?.decode(column: "kind", as: String.self)
                errors.check(row != nil && owner == rep?.rawValue && (kind == "call" || kind == "meeting"), "activityId",
                             "expected a call or meeting of the rep reviewed")
                if let at = try row?.decode(column: "occurred_at", as: Int64.self), day == nil { day = LocalDate(Date(epochMilliseconds: at), in: zone) }
            }
            errors.check(day != nil || problems.has("occurredOn"), "occurredOn", "is required without a call or meeting (YYYY-MM-DD)")
            try errors.finish()
            let json = String(decoding: try Self.payEncoder.encode(scored), as: UTF8.self)
            var review = Review(id: 0, scorecardID: scorecard!, repID: rep!, reviewerID: actor.userID, subject: subject!, activityID: activity,
                                occurredOn: day!, scores: scored, maxScore: maxScore, comment: comment?.isEmpty == true ? nil : comment, createdAt: now)
            let row = try await sql.raw("""
                INSERT INTO reviews (scorecard_id, owner_id, reviewer_id, subject, activity_id, occurred_on, scores, max_score, total, comment, created_at)
                VALUES (\(bind: scorecard!.rawValue), \(bind: rep!.rawValue), \(bind: actor.userID.rawValue), \(bind: subject!.rawValue),
                        \(bind: activity), \(bind: day!.key), \(bind: json), \(bind: maxScore), \(bind: review.total), \(bind: review.comment),
                        \(bind: now.epochMilliseconds))
                RETURNING id
                """).first()
            review.id = .init(try row!.decode(column: "id", as: Int64.self))
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "review", entityID: review.id.rawValue,
                                            changes: AuditLog.created([("rep", String(rep!.rawValue)), ("scorecard", String(scorecard!.rawValue)),
                                                                       ("scores", json)]),
                                            address: address), in: sql)
            return review
        }
    }

    static func scorecards(in sql: any SQLDatabase) async throws -> [Scorecard] {
        try await sql.raw("SELECT id, name, criteria, max_score, active, created_at FROM scorecards ORDER BY id").all().map { row in
            Scorecard(id: .init(try row.decode(column: "id", as: Int64.self)), name: try row.decode(column: "name", as: String.self),
                      criteria: try JSONDecoder().decode([Scorecard.Criterion].self, from: Data(try row.decode(column: "criteria", as: String.self).utf8)),
                      maxScore: try row.decode(column: "max_score", as: Int.self), active: try row.decode(column: "active", as: Bool.self),
                      createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
        }
    }

    private static func review(_ row: any SQLRow) throws -> Review {
        let key = try row.decode(column: "subject", as: String.self)
        guard let subject = Review.Subject(rawValue: key) else { throw StoreError.query("reviews.subject: unknown '\(key)'") }
        return Review(id: .init(try row.decode(column: "id", as: Int64.self)), scorecardID: .init(try row.decode(column: "scorecard_id", as: Int64.self)),
                      repID: User.ID(try row.decode(column: "owner_id", as: Int64.self)),
                      reviewerID: User.ID(try row.decode(column: "reviewer_id", as: Int64.self)), subject: subject,
                      activityID: try row.decode(column: "activity_id", as: Int64?.self),
                      occurredOn: try LocalDate(key: try row.decode(column: "occurred_on", as: Int.self)),
                      scores: try JSONDecoder().decode([Review.Score].self, from: Data(try row.decode(column: "scores", as: String.self).utf8)),
                      maxScore: try row.decode(column: "max_score", as: Int.self), comment: try row.decode(column: "comment", as: String?.self),
                      createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
    }
}
