import Foundation
import KvotaCore
import SQLKit

/// The demo company's toolkit (issue 8): a small library linked from the pipelines' stages, an onboarding checklist
/// with each rep's ticks, a course and a webinar per rep (mentoring for the newest), and a key-customer survey sent a
/// month ago to the contacts of the twenty biggest customers, about half of whom answered. Seeded like the rest of the
/// demo, so the same seed writes the same answers.
enum DemoToolkit {
    static func load(_ options: DemoOptions, into database: Database) async throws {
        var random = DemoRandom(seed: options.seed, stream: "toolkit")
        let zone = options.timeZone
        let now = options.asOf.start(in: zone).addingTimeInterval(9 * 3_600).epochMilliseconds
        let day: Int64 = 86_400_000
        try await database.write { sql in
            let people = try await sql.raw("SELECT id, role, team_id, created_at FROM users WHERE active = \(bind: true) ORDER BY created_at, id").all().map {
                (id: try $0.decode(column: "id", as: Int64.self), role: try $0.decode(column: "role", as: String.self),
                 team: try $0.decode(column: "team_id", as: Int64?.self))
            }
            guard let head = people.first(where: { $0.role == "head" }) ?? people.first(where: { $0.role == "director" }) else { return }
            let reps = people.filter { $0.role == "rep" }

            // The library, linked from the open stages: the opener from the first, the price talk and the discount rule from the third on.
            let stages = try await sql.raw("SELECT id, position FROM stages WHERE outcome = 'open' ORDER BY pipeline_id, position").all().map {
                (id: try $0.decode(column: "id", as: Int64.self), position: try $0.decode(column: "position", as: Int.self))
            }
            let documents: [(String, String, String, [Int64])] = [
                ("script", "First call: the opener", """
                    Introduce yourself and the company in one sentence. Ask for two minutes, not for a meeting.
                    Ask how they buy today: from whom, how often, what annoys them. Listen; write it in the call's notes.
                    Agree on the next step before you hang up: a meeting, a sample, or a call back on a set day.
                    """, stages.filter { $0.position == 1 }.map(\.id)),
                ("script", "Talking about price", """
                    Say the price after the value, never first. Compare with their cost of a stopped line, not with a rival's list.
                    An objection on price is a question about value: ask what they compare us with.
                    """, stages.filter { $0.position == 3 }.map(\.id)),
                ("regulation", "Discounts", """
                    Up to 5 %: the rep decides. 5 to 10 %: the head of sales approves in the deal's notes. Over 10 %: the commercial director.
                    A discount is always traded for something: volume, a longer contract, payment in advance.
                    """, stages.filter { $0.position >= 3 }.map(\.id)),
                ("regulation", "Handing a won deal to the order desk", """
                    Win the deal in Kvota the day the customer says yes; the draft order goes to the desk by itself.
                    Check the delivery address and the contact for the invoice before you win it.
                    """, []),
                ("guide", "Working with dealers", "Dealers get the dealer price list; never quote them the direct price. Their key customers stay theirs.", []),
            ]
            for (kind, title, body, linked) in documents {
                let id = try await sql.raw("""
                    INSERT INTO library_documents (kind, title, body, created_at, updated_at, updated_by)
                    VALUES (\(bind: kind), \(bind: title), \(bind: body), \(bind: now - 90 * day), \(bind: now - 90 * day), \(bind: head.id))
                    RETURNING id
                    """).first()!.decode(column: "id", as: Int64.self)
                for stage in linked {
                    try await sql.raw("INSERT INTO stage_documents (stage_id, document_id) VALUES (\(bind: stage), \(bind: id))").run()
                }
            }

            // The onboarding checklist; the two newest reps are still going through it.
            let steps = ["Meet the order desk and the warehouse", "Read the price list and the discount rules", "Sit in on ten calls",
                         "Twenty own calls reviewed by the head", "First meeting with a customer", "First order placed"]
            var stepIDs: [Int64] = []
            for (index, text) in steps.enumerated() {
                stepIDs.append(try await sql.raw("""
                    INSERT INTO onboarding_steps (text, position, created_at) VALUES (\(bind: text), \(bind: index + 1), \(bind: now - 365 * day))
                    RETURNING id
                    """).first()!.decode(column: "id", as: Int64.self))
            }
            for (index, rep) in reps.enumerated() {
                let newcomer = index >= reps.count - 2
                for step in stepIDs.prefix(newcomer ? random.int(1...4) : stepIDs.count) {
                    try await sql.raw("""
                        INSERT INTO onboarding_checks (user_id, step_id, done_at, done_by)
                        VALUES (\(bind: rep.id), \(bind: step), \(bind: now - Int64(random.int(newcomer ? 1...20 : 60...700)) * day), \(bind: head.id))
                        """).run()
                }
                // A course with a test, a webinar, and mentoring for the newcomers.
                let courseStart = options.asOf.adding(days: -random.int(30...300))
                let score = random.int(55...98)
                try await insertTraining(rep.id, "course", "Product and price list", from: courseStart, to: courseStart.adding(days: 4), mentor: nil,
                                         result: score >= 60 ? "passed" : "failed", score: score, at: now, by: head.id, in: sql)
                let webinar = options.asOf.adding(days: -random.int(5...120))
                try await insertTraining(rep.id, "webinar", "Handling price objections", from: webinar, to: nil, mentor: nil,
                                         result: "attended", score: nil, at: now, by: head.id, in: sql)
                if newcomer {
                    let start = options.asOf.adding(days: -random.int(7...21))
                    try await insertTraining(rep.id, "mentoring", "Calls together with the head", from: start, to: nil, mentor: head.id,
                                             result: "planned", score: nil, at: now, by: head.id, in: sql)
                }
            }

            // A key-customer survey: the twenty biggest customers of the last twelve months, sent a month ago.
            let questions = [
                SurveyTemplate.Question(key: "q1", kind: .nps, text: "How likely are you to recommend us to a colleague?"),
                SurveyTemplate.Question(key: "q2", kind: .scale, text: "How satisfied are you with delivery times?", min: 1, max: 5),
                SurveyTemplate.Question(key: "q3", kind: .scale, text: "How satisfied are you with your sales manager?", min: 1, max: 5),
                SurveyTemplate.Question(key: "q4", kind: .text, text: "What should we do better?", required: false),
            ]
            let template = SurveyTemplate(id: 0, name: "Key customers", intro: "Four questions, two minutes. Thank you!", questions: questions,
                                          createdAt: Date(epochMilliseconds: now - 40 * day))
            let templateID = try await sql.raw("""
                INSERT INTO survey_templates (name, intro, questions, created_at, created_by)
                VALUES (\(bind: template.name), \(bind: template.intro), \(bind: String(decoding: try Database.payEncoder.encode(questions), as: UTF8.self)),
                        \(bind: now - 40 * day), \(bind: head.id))
                RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
            let sentAt = now - 30 * day
            let surveyID = try await sql.raw("""
                INSERT INTO surveys (template_id, title, closes_on, created_at, created_by)
                VALUES (\(bind: templateID), \(bind: "Key customers, \(Period(.quarter, containing: options.asOf).label)"), NULL, \(bind: sentAt),
                        \(bind: head.id))
                RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
            let since = options.asOf.adding(months: -12)
            let biggest = try await sql.raw("""
                SELECT o.account_id, a.owner_id, SUM(o.total_base_minor) AS revenue FROM orders o JOIN accounts a ON a.id = o.account_id
                WHERE o.ordered_on >= \(bind: since.key) AND o.status <> 'cancelled' AND o.status <> 'draft'
                GROUP BY o.account_id, a.owner_id ORDER BY revenue DESC, o.account_id LIMIT 20
                """).all().map { (account: try $0.decode(column: "account_id", as: Int64.self), owner: try $0.decode(column: "owner_id", as: Int64?.self)) }
            let remarks = ["Faster deliveries, please.", "Invoices with our order numbers.", "More stock of the common sizes.",
                           "Our manager is great.", "Call before a price change."]
            for customer in biggest {
                let contacts = try await sql.raw("SELECT id, email FROM contacts WHERE account_id = \(bind: customer.account) ORDER BY id LIMIT 2").all()
                for contact in contacts {
                    let contactID = try contact.decode(column: "id", as: Int64.self)
                    var answered: (at: Int64, answers: [SurveyAnswer])?
                    if random.chance(0.55) {
                        // Mostly content, some not: NPS leans high, scales follow it.
                        let nps = min(10, max(0, Int((7.8 + 2 * random.normal()).rounded())))
                        let scale = { (bias: Int) in min(5, max(1, (nps + 1) / 2 + bias)) }
                        var answers = [SurveyAnswer(key: "q1", score: nps), SurveyAnswer(key: "q2", score: scale(random.int(-1...0))),
                                       SurveyAnswer(key: "q3", score: scale(random.int(-1...1)))]
                        if random.chance(0.4) { answers.append(SurveyAnswer(key: "q4", text: random.pick(remarks))) }
                        answered = (sentAt + Int64(random.int(1...25)) * day + Int64(random.int(0...36_000)) * 1_000, answers)
                    }
                    let (nps, satisfaction) = answered.map { template.measures(of: $0.answers) } ?? (nil, nil)
                    try await sql.raw("""
                        INSERT INTO survey_recipients (survey_id, account_id, contact_id, email, token_hash, created_at, opened_at, answered_at,
                                                       manager_id, answers, nps, satisfaction)
                        VALUES (\(bind: surveyID), \(bind: customer.account), \(bind: contactID), \(bind: try contact.decode(column: "email", as: String?.self)),
                                \(bind: "demo-\(surveyID)-\(contactID)"), \(bind: sentAt), \(bind: answered?.at), \(bind: answered?.at),
                                \(bind: answered == nil ? nil : customer.owner),
                                \(bind: try answered.map { String(decoding: try Database.payEncoder.encode($0.answers), as: UTF8.self) }),
                                \(bind: nps), \(bind: satisfaction))
                        """).run()
                }
            }
        }
    }

    private static func insertTraining(_ user: Int64, _ kind: String, _ title: String, from: LocalDate, to: LocalDate?, mentor: Int64?, result: String,
                                       score: Int?, at now: Int64, by head: Int64, in sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO training_records (user_id, kind, title, starts_on, ends_on, mentor_id, result, score, notes, created_at, created_by)
            VALUES (\(bind: user), \(bind: kind), \(bind: title), \(bind: from.key), \(bind: to?.key), \(bind: mentor), \(bind: result), \(bind: score),
                    '', \(bind: now), \(bind: head))
            """).run()
    }
}
