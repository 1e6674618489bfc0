import Foundation
import KvotaCore
import KvotaImport
import KvotaSheets
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// Issue 13: every importer (Kvota's own layouts, 1C, HubSpot, Pipedrive, Salesforce, Asterisk's CDR, XLSX) fed
/// files broken the ways files come broken: cut short, bytes changed, the wrong encoding, NUL bytes, a 4 MiB field,
/// a million columns, formulas in every field, empty. Each import either succeeds or fails with a reason in words,
/// and one that fails writes nothing at all; nothing crashes the process. The cases come from a fixed seed, so a
/// failure repeats.
@Suite struct ImportFuzzTests {
    struct Source: Sendable {
        let kind: String
        let format: ImportFormat
        let file: String
    }

    /// Every example file in docs/import with the importer that reads it (`cdr` is Asterisk's Master.csv).
    static let sources = [
        Source(kind: "accounts", format: .kvota, file: "accounts.csv"), Source(kind: "products", format: .kvota, file: "products.csv"),
        Source(kind: "contacts", format: .kvota, file: "contacts.csv"), Source(kind: "leads", format: .kvota, file: "leads.csv"),
        Source(kind: "deals", format: .kvota, file: "deals.csv"), Source(kind: "orders", format: .kvota, file: "orders.csv"),
        Source(kind: "calls", format: .kvota, file: "calls.csv"), Source(kind: "orders", format: .oneC, file: "1c-sales.csv"),
        Source(kind: "accounts", format: .hubspot, file: "hubspot-companies.csv"),
        Source(kind: "contacts", format: .hubspot, file: "hubspot-contacts.csv"), Source(kind: "deals", format: .hubspot, file: "hubspot-deals.csv"),
        Source(kind: "contacts", format: .pipedrive, file: "pipedrive-persons.csv"),
        Source(kind: "deals", format: .pipedrive, file: "pipedrive-deals.csv"),
        Source(kind: "deals", format: .salesforce, file: "salesforce"), Source(kind: "cdr", format: .kvota, file: "Master.csv"),
    ]

    static func example(_ source: Source) throws -> Data {
        switch source.file {
        case "salesforce": try SalesforceImportTests.export()
        case "Master.csv": try Data(contentsOf: AsteriskCDRTests.fixtures.appendingPathComponent("Master.csv"))
        default: try OrderImportTests.example(source.file)
        }
    }

    /// A small random source that gives the same cases every run (SplitMix64).
    struct Seeded {
        var state: UInt64
        mutating func below(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
        }
    }

    /// The broken files made from one good one; `heavy` adds the large ones (a 4 MiB field, a million columns).
    static func broken(_ data: Data, heavy: Bool, random: inout Seeded) -> [(String, Data)] {
        var cases: [(String, Data)] = [("empty", Data()), ("only a byte-order mark", Data([0xEF, 0xBB, 0xBF]))]
        for _ in 0..<3 {
            let cut = random.below(data.count)
            cases.append(("cut after \(cut) bytes", data.prefix(cut)))
        }
        for round in 0..<3 {
            var bytes = [UInt8](data)
            for _ in 0..<16 { bytes[random.below(bytes.count)] = UInt8(random.below(256)) }
            cases.append(("16 bytes changed (\(round + 1))", Data(bytes)))
        }
        let middle = data.count / 2
        cases.append(("a NUL and broken UTF-8 in the middle", data.prefix(middle) + Data([0x00, 0xC3, 0x28, 0xFF]) + data.dropFirst(middle)))
        cases.append(("a UTF-16 byte-order mark before UTF-8 text", Data([0xFF, 0xFE]) + data))
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        if let header = lines.first, lines.count > 1 {
            let delimiter: Character = header.contains(";") ? ";" : ","
            let columns = header.split(separator: delimiter, omittingEmptySubsequences: false).count
            cases.append(("the header only", Data(header.utf8)))
            let formulas = Array(repeating: "\"=cmd|' /C calc'!A0\"", count: columns).joined(separator: String(delimiter))
            cases.append(("a formula in every field", Data("\(header)\n\(formulas)\n".utf8)))
            cases.append(("an unclosed quote", Data("\(header)\n\"\(lines[1])\n".utf8)))
            if heavy {
                let huge = "\"" + String(repeating: "x", count: 4 << 20) + "\""
                cases.append(("a 4 MiB field", Data("\(header)\n\(([huge] + Array(repeating: "", count: columns - 1)).joined(separator: String(delimiter)))\n".utf8)))
                let wide = String(repeating: "c\(delimiter)", count: 1_000_000)
                cases.append(("a million columns", Data("\(wide)\n\(wide)\n".utf8)))
            }
        }
        return cases
    }

    /// The rows an import could write, table by table.
    static func counts(_ database: Database) async throws -> [String: Int] {
        let tables = ["accounts", "contacts", "leads", "deals", "deal_lines", "deal_stage_history", "products", "product_categories", "orders",
                      "order_lines", "activities", "pbx_calls", "users"]
        return try await database.read { sql in
            var counts: [String: Int] = [:]
            for table in tables {
                counts[table] = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self)
            }
            return counts
        }
    }

    static func run(_ source: Source, _ file: Data, _ database: Database, _ actor: Actor) async throws -> ImportReport {
        if source.kind == "cdr" {
            return try await Importer.runAsteriskCDR(file: file, zone: TimeZone(identifier: "UTC")!, dryRun: false, into: database, at: Date())
        }
        return try await Importer.run(kind: source.kind, file: file, format: source.format, dryRun: false, into: database, by: actor, at: Date())
    }

    @Test(arguments: TestDatabase.engines)
    func brokenFilesFailInWordsAndWriteNothing(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            // docs/import's accounts and products, the managers its files name, and a pipeline with won and lost stages.
            let actor = try await OneCSalesImportTests.setUp(database)
            _ = try await database.addUser(UserDraft(name: "Maja Lind", email: "maja@kvota.test", role: .rep), passwordHash: "x", by: nil,
                                           at: Date())
            _ = try await database.addUser(UserDraft(name: "Anna", email: "anna@example.com", role: .rep), passwordHash: "x", by: nil, at: Date())
            let records = try await TestRecords.make(database)
            _ = try await records.stage("Won", position: 2, outcome: "won", probability: 100)
            _ = try await records.stage("Lost", position: 3, outcome: "lost", probability: 0)

            var random = Seeded(state: 13)
            var tried = 0
            for (index, source) in Self.sources.enumerated() {
                let good = try Self.example(source)
                var files = Self.broken(good, heavy: index == 0, random: &random)
                if index == 0 {
                    // The same rows as a workbook, whole and broken: XLSX is a zip, and a zip cut short is another path.
                    let table = try ImportTable.read(good)
                    let workbook = try XLSXWriter.workbook(sheet: "Accounts", header: table.header,
                                                           rows: table.rows.map { $0.values.map(SheetCell.text) })
                    files.append(("a workbook", workbook))
                    files.append(("a workbook cut short", workbook.prefix(workbook.count * 2 / 3)))
                    var bytes = [UInt8](workbook)
                    for _ in 0..<32 { bytes[random.below(bytes.count)] = UInt8(random.below(256)) }
                    files.append(("a workbook with 32 bytes changed", Data(bytes)))
                }
                for (name, file) in files {
                    tried += 1
                    let what = "\(source.format.rawValue) \(source.kind) from \(source.file), \(name)"
                    let before = try await Self.counts(database)
                    do {
                        let report = try await Self.run(source, file, database, actor)
                        if !report.written {
                            #expect(try await Self.counts(database) == before, "\(what): refused, yet something was written")
                            #expect(!report.problems.isEmpty && report.problems.allSatisfy { !$0.reason.isEmpty }, "\(what)")
                        }
                    } catch let failure as ImportFailure {
                        #expect(failure.description.count > 10, "\(what): '\(failure)' says too little")
                        #expect(try await Self.counts(database) == before, "\(what): failed, yet something was written")
                    } catch {
                        Issue.record("\(what): \(error) is not an import's failure")
                    }
                }
            }
            #expect(tried >= 190, "the cases were made")
        }
    }
}
