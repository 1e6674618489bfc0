import Foundation
import KvotaCore
import Testing

/// The AMI stream of a real Asterisk 20 session (Tests/Fixtures/asterisk, copied from ../shared/data): five inbound
/// calls (answered by a rep, missed, busy, answered by the system, abandoned in a queue) become exactly five calls,
/// whatever sizes the reads come in, with the numbers, times and outcomes the session's Master.csv records.
@Suite struct AMICallAssemblerTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/asterisk")

    static func replay(chunk: Int) throws -> (banner: String?, messages: Int, calls: [PBXCall]) {
        let bytes = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent("ami_events.raw")))
        var parser = AMIStreamParser(), assembler = AMICallAssembler()
        var calls: [PBXCall] = [], messages = 0
        var offset = 0
        while offset < bytes.count {
            for message in parser.feed(bytes[offset..<min(offset + chunk, bytes.count)]) {
                messages += 1
                for call in assembler.take(message) {
                    calls.removeAll { $0.id == call.id }
                    calls.append(call)
                }
            }
            offset += chunk
        }
        return (parser.banner, messages, calls.sorted { $0.startedAt < $1.startedAt })
    }

    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// A call whose hang-ups fell into a gap is dropped when the CDR file has it (or it is half a day old); the others
    /// go on as before.
    @Test func aCallLostInAGapIsForgottenAndTheRestGoOn() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("ami_events.raw")))
        var parser = AMIStreamParser(), assembler = AMICallAssembler()
        var calls: [String] = []
        var forgotten = 0
        for message in parser.feed(bytes[...]) {
            // The first call is under way when its hang-up is "lost": the file has it, so it is dropped.
            if message.event == "Hangup", message["Linkedid"] == "1795354189.0", forgotten == 0 {
                #expect(assembler.unfinished == 1)
                forgotten = assembler.forget(startedBefore: .distantPast, orIn: ["1795354189.0"])
                continue
            }
            calls += assembler.take(message).map(\.id)
        }
        #expect(forgotten == 1 && assembler.unfinished == 0)
        #expect(assembler.latestEvent.map { abs($0.timeIntervalSince1970 - 1_795_354_204) < 5 } == true, "the session's last event, by the PBX's clock")
        #expect(calls == ["1795354193.2", "1795354199.4", "1795354199.5", "1795354200.6"], "the rest as ever; the dropped one is not half-made")
    }

    @Test func theRealSessionMakesOneCallPerCall() throws {
        let (banner, messages, calls) = try Self.replay(chunk: 4_096)
        #expect(banner == "Asterisk Call Manager/9.0.0" && messages > 100)
        #expect(calls.map(\.externalNumber) == ["+74951234501", "+74951234502", "+74951234503", "+74951234504", "+74951234505"])
        #expect(calls.map(\.internalNumber) == ["100", "200", "300", "400", "500"])
        #expect(calls.allSatisfy { $0.direction == .inbound })
        #expect(calls.map(\.disposition) == [.answered, .noAnswer, .busy, .answered, .answered], "as Master.csv says")
        #expect(calls.map(\.talkSeconds) == [4, 0, 0, 1, 3])
        // The rep's answering leg is not a second call; the rep is the one who answered.
        #expect(calls.map(\.answeredBy) == ["101", nil, nil, nil, nil] && calls.map(\.rang) == [["101"], ["201"], [], [], []])
        #expect(calls.map(\.activityDisposition) == [.answered, .missed, .busy, .missed, .missed],
                "the system's answer and the abandoned queue are missed calls for the sales team")
        #expect(calls.map(\.extensionOfRecord) == ["101", "201", nil, nil, nil])
        let first = calls[0]
        #expect(first.id == "1795354189.0" && Int(first.startedAt.timeIntervalSince1970) == 1_795_354_189)
        #expect(Int(first.endedAt.timeIntervalSince1970) == Int(Self.utc("2026-11-22T13:29:53Z").timeIntervalSince1970))
    }

    @Test func readsCutAnywhereGiveTheSameCalls() throws {
        let whole = try Self.replay(chunk: 1 << 20).calls
        for chunk in [1, 7, 61, 1_000] {
            #expect(try Self.replay(chunk: chunk).calls == whole, "reads of \(chunk) bytes")
        }
    }

    @Test func anOutboundCallAndACdrThatComesLate() {
        // Built from the AMI protocol's documented events: rep 101 dials a customer through a trunk, who answers and
        // talks 42 s; the Cdr event arrives after the last hang-up and amends the talk time to the PBX's own count.
        func event(_ name: String, _ at: Double, _ fields: [(String, String)]) -> AMIMessage {
            AMIMessage([("Event", name), ("Timestamp", String(at))] + fields)
        }
        let root = [("Uniqueid", "1800000000.10"), ("Linkedid", "1800000000.10")]
        let leg = [("Uniqueid", "1800000000.11"), ("Linkedid", "1800000000.10")]
        var assembler = AMICallAssembler()
        var made: [PBXCall] = []
        for message in [
            event("Newchannel", 1_800_000_000.1, root + [("CallerIDNum", "101"), ("Exten", "0701234567")]),
            event("Newchannel", 1_800_000_000.2, leg + [("CallerIDNum", "0701234567"), ("Exten", "")]),
            event("DialBegin", 1_800_000_000.3, root + [("DestUniqueid", "1800000000.11"), ("DialString", "trunk/+46701234567")]),
            event("DialEnd", 1_800_000_005.0, root + [("DestUniqueid", "1800000000.11"), ("DialStatus", "ANSWER")]),
            event("Newstate", 1_800_000_005.1, root + [("ChannelStateDesc", "Up")]),
            event("VarSet", 1_800_000_005.2, root + [("Variable", "MIXMONITOR_FILENAME"), ("Value", "/var/spool/asterisk/monitor/out-101.wav")]),
            event("Hangup", 1_800_000_047.3, leg + [("Cause", "16")]),
            event("Hangup", 1_800_000_047.4, root + [("Cause", "16")]),
            AMIMessage([("Event", "Cdr"), ("Timestamp", "1800000047.5"), ("UniqueID", "1800000000.10"), ("Disposition", "ANSWERED"),
                        ("BillableSeconds", "41")]),
        ] { made += assembler.take(message) }
        #expect(made.count == 2 && made[0].talkSeconds == 42 && made[1].talkSeconds == 41, "made at the hang-up, amended by the Cdr")
        let call = made[1]
        #expect(call.direction == .outbound && call.externalNumber == "+46701234567" && call.internalNumber == "101")
        #expect(call.extensionOfRecord == "101" && call.activityDisposition == .answered && call.recording == "/var/spool/asterisk/monitor/out-101.wav")
    }

    @Test func dialStringsNameTheirNumber() {
        #expect(PBXCall.dialledNumber("SIP/101@127.0.0.1:5070,20") == "101")
        #expect(PBXCall.dialledNumber("101@127.0.0.1:5070") == "101")
        #expect(PBXCall.dialledNumber("PJSIP/102") == "102")
        #expect(PBXCall.dialledNumber("Local/103@from-internal/n") == "103")
        #expect(PBXCall.dialledNumber("SIP/trunk/+46812345678") == "+46812345678")
        #expect(PBXCall.dialledNumber("") == nil)
        #expect(PBXCall.isExtension("101") && !PBXCall.isExtension("+46812345678") && !PBXCall.isExtension("0812345678"))
    }
}
