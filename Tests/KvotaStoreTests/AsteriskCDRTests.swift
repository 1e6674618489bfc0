import Foundation
import KvotaCore
import KvotaImport
import Testing

/// The same real session's Master.csv (Tests/Fixtures/asterisk): Asterisk's CSV CDR without a header, 18 columns,
/// the missed call in two rows. Read into calls, it gives the calls the AMI replay gives, to the second.
@Suite struct AsteriskCDRTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/asterisk")

    static func calls(_ file: String) throws -> [PBXCall] {
        let table = try ImportTable.read(try Data(contentsOf: fixtures.appendingPathComponent(file)), hasHeader: false)
        return AsteriskCDR.calls(try table.rows.map { try AsteriskCDR.record($0.values, zone: TimeZone(identifier: "UTC")!) })
    }

    @Test func masterCSVGivesTheCallsTheAMIStreamGives() throws {
        let fromCDR = try Self.calls("Master.csv")
        #expect(fromCDR.count == 5, "six rows, five calls")
        // The AMI replay, read as the core tests do.
        let bytes = [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("ami_events.raw")))
        var parser = AMIStreamParser(), assembler = AMICallAssembler()
        var fromAMI: [String: PBXCall] = [:]
        for message in parser.feed(bytes) { for call in assembler.take(message) { fromAMI[call.id] = call } }
        #expect(fromAMI.count == 5)
        func seconds(_ date: Date?) -> Int? { date.map { Int($0.timeIntervalSince1970) } }
        for cdr in fromCDR {
            let ami = try #require(fromAMI[cdr.id], "call \(cdr.id)")
            #expect(ami.direction == cdr.direction && ami.externalNumber == cdr.externalNumber && ami.internalNumber == cdr.internalNumber)
            #expect(ami.answeredBy == cdr.answeredBy && ami.rang == cdr.rang && ami.disposition == cdr.disposition && ami.talkSeconds == cdr.talkSeconds,
                    "call \(cdr.id)")
            #expect(seconds(ami.startedAt) == seconds(cdr.startedAt) && seconds(ami.endedAt) == seconds(cdr.endedAt)
                    && seconds(ami.answeredAt) == seconds(cdr.answeredAt), "call \(cdr.id)")
        }
    }

    @Test func badRowsAreNamedByColumn() throws {
        let row = ["", "+46701234567", "100", "from-pstn", "", "SIP/x-1", "", "Dial", "SIP/101", "2026-11-22 25:00:00", "", "", "x", "-1", "MAYBE", ""]
        #expect(throws: ValidationFailure([.invalid(field: "start", reason: "expected YYYY-MM-DD HH:MM:SS, got '2026-11-22 25:00:00'"),
                                           .invalid(field: "end", reason: "is required"),
                                           .invalid(field: "billsec", reason: "expected whole seconds, got '-1'"),
                                           .invalid(field: "disposition",
                                                    reason: "expected ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION, got 'MAYBE'")])) {
            try AsteriskCDR.record(row, zone: TimeZone(identifier: "UTC")!)
        }
        #expect(throws: ValidationFailure.self) { try AsteriskCDR.record(["a", "b"], zone: TimeZone(identifier: "UTC")!) }
    }
}
