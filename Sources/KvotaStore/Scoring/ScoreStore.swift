import Foundation
import KvotaCore
import SQLKit
import Synchronization

/// The score in use for a subject, as kept: a trained model with its evaluation, or the rules.
public struct StoredScorer: Sendable {
    public var subject: ScoreSubject
    public var trainedAt: Date
    /// The closed records there were (at most `Database.scoringWindow` are read).
    public var closedRecords: Int
    public var model: ScoreModel?
    public var evaluation: ScoreEvaluationReport?

    public init(subject: ScoreSubject, trainedAt: Date, closedRecords: Int, model: ScoreModel? = nil,
                evaluation: ScoreEvaluationReport? = nil) {
        self.subject = subject; self.trainedAt = trainedAt; self.closedRecords = closedRecords; self.model = model
        self.evaluation = evaluation
    }

    public var method: Score.Method { model == nil ? .rules : .model }
    public var scorer: Scorer { model.map(Scorer.model) ?? .rules }
}

extension Database {
    /// The subject's score as last trained; nil before the first training.
    public func storedScorer(_ subject: ScoreSubject) async throws -> StoredScorer? {
        try await read { sql in
            guard let row = try await sql.raw("""
                SELECT trained_at, closed_records, model, evaluation FROM score_models WHERE subject = \(bind: subject.rawValue)
                """).first() else { return nil }
            let decoder = JSONDecoder()
            func json<T: Decodable>(_ column: String, as type: T.Type) throws -> T? {
                try row.decode(column: column, as: String?.self).map { try decoder.decode(T.self, from: Data($0.utf8)) }
            }
            return StoredScorer(subject: subject, trainedAt: Date(epochMilliseconds: try row.decode(column: "trained_at", as: Int64.self)),
                                closedRecords: try row.decode(column: "closed_records", as: Int.self),
                                model: try json("model", as: ScoreModel.self), evaluation: try json("evaluation", as: ScoreEvaluationReport.self))
        }
    }

    /// Both subjects' scores as last trained, lead first.
    public func storedScorers() async throws -> [(subject: ScoreSubject, scorer: StoredScorer?)] {
        var scorers: [(subject: ScoreSubject, scorer: StoredScorer?)] = []
        for subject in ScoreSubject.allCases { scorers.append((subject, try await storedScorer(subject))) }
        return scorers
    }

    /// Keeps `scorer` as the subject's score in use, replacing the last.
    public func saveScorer(_ scorer: StoredScorer) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let model = try scorer.model.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let evaluation = try scorer.evaluation.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try await write { sql in
            try await sql.raw("""
                INSERT INTO score_models (subject, method, trained_at, closed_records, model, evaluation)
                VALUES (\(bind: scorer.subject.rawValue), \(bind: scorer.method.rawValue), \(bind: scorer.trainedAt.epochMilliseconds),
                        \(bind: scorer.closedRecords), \(bind: model), \(bind: evaluation))
                ON CONFLICT (subject) DO UPDATE SET method = excluded.method, trained_at = excluded.trained_at,
                    closed_records = excluded.closed_records, model = excluded.model, evaluation = excluded.evaluation
                """).run()
        }
    }

    /// Writes each record's score and its detail (method and reasons) on the record, a few hundred rows a statement
    /// and a transaction per statement, so a rescoring round never holds writers back for long. A record whose score
    /// and reasons are as stored is not written: rewriting every open deal each round (190 000 at scale L) left
    /// PostgreSQL that many dead rows and index entries every quarter of an hour, and its index-only reads of deals
    /// (the funnel's closed deals) went back to the table for a third of its pages.
    public func saveScores(_ subject: ScoreSubject, _ scores: [(id: Int64, score: Score)]) async throws {
        let table = subject == .lead ? "leads" : "deals"
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var start = 0
        while start < scores.count {
            let chunk = scores[start..<min(scores.count, start + 500)]
            start += chunk.count
            let values: [SQLQueryString] = try chunk.map { entry in
                let detail = String(decoding: try encoder.encode(entry.score), as: UTF8.self)
                return "(\(bind: entry.id), \(bind: entry.score.value), \(bind: detail))"
            }
            try await write { sql in
                // `UPDATE … FROM` is both engines' (SQLite since 3.33); the first row's casts type PostgreSQL's VALUES.
                try await sql.raw("""
                    UPDATE \(ident: table) SET score = v.score, score_detail = v.detail
                    FROM (SELECT CAST(NULL AS BIGINT) AS id, CAST(NULL AS INTEGER) AS score, CAST(NULL AS TEXT) AS detail
                          UNION ALL VALUES \(values.joined(separator: ", "))) AS v
                    WHERE \(ident: table).id = v.id
                      AND (COALESCE(\(ident: table).score, -1) <> v.score OR COALESCE(\(ident: table).score_detail, '') <> v.detail)
                    """).run()
            }
        }
    }

    /// Clears the score of records no longer being worked (closed deals, qualified or disqualified leads): a score
    /// is about what is still open.
    public func clearClosedScores() async throws {
        try await write { sql in
            try await sql.raw("UPDATE deals SET score = NULL, score_detail = NULL WHERE status <> 'open' AND score IS NOT NULL").run()
            try await sql.raw("""
                UPDATE leads SET score = NULL, score_detail = NULL WHERE status NOT IN ('new', 'in_work') AND score IS NOT NULL
                """).run()
        }
    }

    /// What ids in reasons are called: stages, regions, channels (by id and by code), product categories and the
    /// company's own lead sources.
    public func scoreNames() async throws -> [String: [String: String]] {
        try await read { sql in
            var names: [String: [String: String]] = [:]
            for (field, query) in [
                ("stage", "SELECT CAST(id AS TEXT) AS k, name FROM stages"), ("region", "SELECT CAST(id AS TEXT) AS k, name FROM regions"),
                ("channel", "SELECT CAST(id AS TEXT) AS k, name FROM channels UNION ALL SELECT code AS k, name FROM channels"),
                ("category", "SELECT CAST(id AS TEXT) AS k, name FROM product_categories"),
                ("source", "SELECT key AS k, label AS name FROM lead_sources"),
            ] as [(String, String)] {
                for row in try await sql.raw("\(unsafeRaw: query)").all() {
                    names[field, default: [:]][try row.decode(column: "k", as: String.self)] = try row.decode(column: "name", as: String.self)
                }
            }
            return names
        }
    }
}

extension Database {
    /// A record's kept score (`score_detail`), if it has one.
    static func scoreDetail(_ row: any SQLRow) throws -> Score? {
        guard let text = try row.decode(column: "score_detail", as: String?.self) else { return nil }
        if let score = decodedScores.withLock({ $0[text] }) { return score }
        let score = try JSONDecoder().decode(Score.self, from: Data(text.utf8))
        decodedScores.withLock { scores in
            if scores.count >= 4_096 { scores.removeAll(keepingCapacity: true) }
            scores[text] = score
        }
        return score
    }

    /// Kept scores decoded, by their text. Records share them (the 27 000 open deals at scale L have 617 between
    /// them: a score explains itself by a few features' values), and decoding every listed deal's JSON anew was a
    /// seventh of Kvota's processor time for a list of 50 deals.
    private static let decodedScores = Mutex<[String: Score]>([:])
}
