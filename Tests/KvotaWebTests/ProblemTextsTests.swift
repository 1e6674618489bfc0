import Foundation
import Hummingbird
import HummingbirdTesting
@testable import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import SQLKit
import Testing

/// Problems in the caller's language: the profile's when signed in, else Accept-Language; every message the
/// sources write has an entry in the catalog.
@Suite struct ProblemTextsTests {
    @Test func messagesAreTranslatedWithTheirPartsKept() {
        #expect(ProblemTexts.translate("must be at most 300 characters", to: .ru) == "не длиннее 300 символов")
        #expect(ProblemTexts.translate("no account 'Nobody AB'", to: .sv) == "hittades inte: kund 'Nobody AB'")
        #expect(ProblemTexts.translate("no deal 42", to: .uk) == "не знайдено: угода 42")
        #expect(ProblemTexts.translate("your role may not update order records here", to: .ru)
                == "ваша роль не позволяет действие «изменение» с записями «заказ» здесь")
        #expect(ProblemTexts.translate("you may not add deals for this owner", to: .sv) == "du får inte lägga till affärer för den här ansvarige")
        #expect(ProblemTexts.translate("expected an id, got 'x'", to: .uk) == "очікується id, отримано «x»", "not half English")
        #expect(ProblemTexts.translate("expected an id, got ''", to: .uk) == "очікується id, отримано «»", "an empty value (owner=) too")
        #expect(ProblemTexts.translate("expected json, csv or xlsx, got ''", to: .sv) == "förväntade json, csv eller xlsx, fick ''")
        #expect(ProblemTexts.translate("expected a user id, got 'x'", to: .ru) == "ожидается id пользователя, получено «x»")
        #expect(ProblemTexts.translate("expected one of deal.won, lead.created, got 'deal.moved'", to: .uk)
            == "очікується одне з: deal.won, lead.created, отримано «deal.moved»", "an enum's values, not half English")
        #expect(ProblemTexts.translate("must be at most 300 characters", to: .en) == "must be at most 300 characters")
        #expect(ProblemTexts.translate("a message nobody wrote", to: .ru) == "a message nobody wrote", "unknown stays English")
    }

    @Test func acceptLanguagePicksTheBestSupportedOne() {
        #expect(ProblemTexts.language(acceptLanguage: "sv-SE,sv;q=0.9,en;q=0.8") == .sv)
        #expect(ProblemTexts.language(acceptLanguage: "de-DE, uk;q=0.7, ru;q=0.9") == .ru)
        #expect(ProblemTexts.language(acceptLanguage: "fr, de") == .en)
        #expect(ProblemTexts.language(acceptLanguage: "ru;q=0") == .en)
        #expect(ProblemTexts.language(acceptLanguage: nil) == .en)
    }

    /// Every reason the sources pass to a validation (`check(…, "reason")`, `reason: "…"`) or an HTTP error
    /// (`message: "…"`), with its interpolations filled in, has an entry.
    @Test func everyMessageInTheSourcesHasAnEntry() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            // Not client messages: the test support's own, the store's reasons for not opening a database (its file's
            // mode among them), the backup's (the operator's, from `kvota backup` and `kvota restore`) and the
            // server's settings' (from `kvota serve`'s environment), in English like every command's.
            .filter {
                $0.pathExtension == "swift" && !$0.path.contains("/KvotaTestSupport/") && !$0.path.contains("/KvotaStore/Backup/")
                    && !["Database.swift", "PrivateFileMode.swift", "AppConfig.swift"].contains($0.lastPathComponent)
            }
        var missing: [String] = [], halfTranslated: [String] = []
        var found = 0
        // Two English words in a row (an interpolation is "x"): a general entry such as "expected {}" matched, and
        // would copy "a time zone such as …" into a Russian answer as it is.
        let prose = /\b(?!x\b)[a-z]{2,} (?!x\b)[a-z]{2,}\b/
        for file in files {
            let text = Array(try String(contentsOf: file, encoding: .utf8))
            for message in SourceMessages.reasons(in: text) {
                found += 1
                guard let copied = ProblemTexts.copiedParts(of: message) else {
                    missing.append("\(file.lastPathComponent): \(message)")
                    continue
                }
                if copied.contains(where: { $0.contains(prose) }) { halfTranslated.append("\(file.lastPathComponent): \(message)") }
            }
        }
        #expect(found > 100, "the scanner finds the messages")
        #expect(missing.isEmpty, "\(missing.count) messages without an entry:\n\(missing.joined(separator: "\n"))")
        #expect(halfTranslated.isEmpty,
                "\(halfTranslated.count) messages only a general entry matches:\n\(halfTranslated.joined(separator: "\n"))")
    }

    /// Messages put together at run time, which the source scan sees only as "expected x": a body's wrong type and a
    /// custom field's wrong value.
    @Test func composedMessagesHaveEntriesOfTheirOwn() {
        let types: [Any.Type] = [String.self, Int.self, Int64.self, Bool.self, Date.self, Double.self]
        var messages = types.flatMap { ["expected \(JSONBody.describe($0))", "expected \(JSONBody.describe($0)), got null"] }
        messages += CustomField.FieldType.allCases.map { "expected \($0.expectation)" }
        let prose = /\b[a-z]{2,} [a-z]{2,}\b/
        let untranslated = messages.filter { ProblemTexts.copiedParts(of: $0)?.contains { $0.contains(prose) } ?? true }
        #expect(untranslated.isEmpty, "\(untranslated)")
        #expect(ProblemTexts.translate("expected a whole number, got null", to: .sv) == "förväntade ett heltal, fick null")
    }

    @Test(arguments: TestDatabase.engines)
    func answersAreInTheUsersLanguageElseAcceptLanguage(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            try await org.database.write { sql in
                try await sql.raw("UPDATE users SET language = 'ru' WHERE id = \(bind: org.rep.id.rawValue)").run()
            }
            let rep = try await client.token(for: org.rep)
            let bad = try await client.post("/api/v1/accounts", json: ["name": ""], token: rep, headers: [.acceptLanguage: "sv"])
            let problem = try bad.problem()
            #expect(problem.title == "Ошибки в данных" && problem.errors?.first?.reason == "обязательное поле", "the profile wins")
            #expect(problem.errors?.first?.field == "name", "fields stay as the API names them")
            let missing = try await client.get("/api/v1/deals/999999", token: rep)
            #expect(try missing.problem().detail == "не найдено: сделка 999999")

            let anonymous = try await client.get("/api/v1/accounts", headers: [.acceptLanguage: "uk-UA,uk;q=0.9"])
            #expect(anonymous.status == .unauthorized)
            #expect(try anonymous.problem().title == "Потрібен вхід")
            let admin = try await client.token(for: org.admin)
            let english = try await client.post("/api/v1/accounts", json: ["name": ""], token: admin)
            #expect(try english.problem().errors?.first?.reason == "is required")
        }
    }
}

/// Finds the messages in Swift source text: the last argument of `check(…)` when it is a string literal, and the
/// literal after `reason:` or `message:`. Interpolations become "x".
enum SourceMessages {
    static func reasons(in text: [Character]) -> [String] {
        var found: [String] = []
        var index = 0
        while index < text.count {
            if matches(text, index, "check(") {
                if let args = arguments(text, from: index + 6), let last = args.last, let message = literal(last) { found.append(message) }
                index += 6
            } else if matches(text, index, "reason: \"") || matches(text, index, "message: \"") {
                let start = index + (matches(text, index, "reason") ? 8 : 9)
                if let message = literal(Array(text[start...].prefix(400))) { found.append(message) }
                index = start
            } else {
                index += 1
            }
        }
        return found.filter { !$0.isEmpty && $0 != "x" }
    }

    private static func matches(_ text: [Character], _ at: Int, _ word: String) -> Bool {
        let word = Array(word)
        return at + word.count <= text.count && Array(text[at..<at + word.count]) == word
    }

    /// The top-level arguments of a call whose "(" was just before `from`, up to its ")".
    private static func arguments(_ text: [Character], from: Int) -> [[Character]]? {
        var args: [[Character]] = [[]], depth = 0, index = from
        while index < text.count {
            let c = text[index]
            if c == "\"" {
                guard let end = literalEnd(text, index) else { return nil }
                args[args.count - 1] += text[index..<end]
                index = end
                continue
            } else if c == "(" || c == "[" {
                depth += 1
            } else if c == ")" || c == "]" {
                if depth == 0 { return args.map { Array(String($0).trimmingCharacters(in: .whitespacesAndNewlines)) } }
                depth -= 1
            } else if c == "," && depth == 0 {
                args.append([]); index += 1; continue
            }
            args[args.count - 1].append(c)
            index += 1
        }
        return nil
    }

    /// Just past the string literal that opens at `start`, interpolations (with their own literals) included.
    private static func literalEnd(_ text: [Character], _ start: Int) -> Int? {
        var index = start + 1
        while index < text.count {
            let c = text[index]
            if c == "\\", index + 1 < text.count, text[index + 1] == "(" {
                var depth = 1
                index += 2
                while index < text.count && depth > 0 {
                    if text[index] == "\"" {
                        guard let end = literalEnd(text, index) else { return nil }
                        index = end
                        continue
                    }
                    if text[index] == "(" { depth += 1 } else if text[index] == ")" { depth -= 1 }
                    index += 1
                }
                continue
            }
            if c == "\\" { index += 2; continue }
            if c == "\"" { return index + 1 }
            index += 1
        }
        return nil
    }

    /// The text of a string literal at the start of `text`, interpolations as "x"; nil when it is not one.
    private static func literal(_ text: [Character]) -> String? {
        guard text.first == "\"", text.count > 1, text[1] != "\"" || text.count < 3 || text[2] != "\"" else { return nil }
        var out = "", index = 1
        while index < text.count {
            let c = text[index]
            if c == "\\", index + 1 < text.count, text[index + 1] == "(" {
                var depth = 1
                index += 2
                var inString = false
                while index < text.count && depth > 0 {
                    let d = text[index]
                    if inString { if d == "\\" { index += 1 } else if d == "\"" { inString = false } }
                    else if d == "\"" { inString = true } else if d == "(" { depth += 1 } else if d == ")" { depth -= 1 }
                    index += 1
                }
                out += "x"
                continue
            }
            if c == "\\", index + 1 < text.count { out.append(text[index + 1] == "n" ? "\n" : text[index + 1]); index += 2; continue }
            if c == "\"" { return out }
            out.append(c)
            index += 1
        }
        return nil
    }
}
