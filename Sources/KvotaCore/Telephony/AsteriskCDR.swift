import Foundation

/// Asterisk's CSV call detail records (`cdr_csv`, normally /var/log/asterisk/cdr-csv/Master.csv): no header, 16
/// columns, 18 with `loguniqueid` and `loguserfield`, 21 with `newcdrcolumns` as well. docs/telephony.md names them.
public enum AsteriskCDR {
    public static let columns = ["accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp", "lastdata", "start", "answer",
                                 "end", "duration", "billsec", "disposition", "amaflags", "uniqueid", "userfield", "peeraccount", "linkedid",
                                 "sequence"]

    /// One row: one leg of a call as the PBX closed it.
    public struct Record: Hashable, Sendable {
        public var source: String
        public var callerID: String
        public var destination: String
        public var destinationChannel: String
        public var lastApplication: String
        public var lastData: String
        public var start: Date
        public var answer: Date?
        public var end: Date
        public var billsec: Int
        public var disposition: PBXCall.Disposition
        public var uniqueID: String?
        public var linkedID: String?
        /// The call it belongs to: the linked id when the PBX writes it, else the unique id, else the channel and start.
        public var callID: String
    }

    /// A row's fields, each problem named by its column; times are read in `zone` (the PBX's; UTC with `usegmtime=yes`).
    public static func record(_ values: [String], zone: TimeZone) throws(ValidationFailure) -> Record {
        var errors = ValidationFailure.Collector()
        errors.check([16, 18, 21].contains(values.count), "columns", "expected 16, 18 or 21 columns (Asterisk's cdr_csv), got \(values.count)")
        try errors.finish()
        func value(_ name: String) -> String { values[columns.firstIndex(of: name)!] }
        func time(_ name: String, required: Bool) -> Date? {
            let text = value(name)
            if text.isEmpty {
                errors.check(!required, name, "is required")
                return nil
            }
            let date = parse(text, zone: zone)
            errors.check(date != nil, name, "expected YYYY-MM-DD HH:MM:SS, got '\(text)'")
            return date
        }
        let start = time("start", required: true), answer = time("answer", required: false), end = time("end", required: true)
        let billsec = Int(value("billsec"))
        errors.check(billsec != nil && billsec! >= 0, "billsec", "expected whole seconds, got '\(value("billsec"))'")
        let disposition = PBXCall.Disposition(cdr: value("disposition"))
        errors.check(disposition != nil, "disposition", "expected ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION, got '\(value("disposition"))'")
        try errors.finish()
        let unique = values.count >= 18 ? value("uniqueid").nonBlank : nil
        let linked = values.count >= 21 ? value("linkedid").nonBlank : nil
        return Record(source: value("src"), callerID: value("clid"), destination: value("dst"), destinationChannel: value("dstchannel"), lastApplication: value("lastapp"),
                      lastData: value("lastdata"), start: start!, answer: answer, end: end!, billsec: billsec!, disposition: disposition!,
                      uniqueID: unique, linkedID: linked, callID: linked ?? unique ?? "\(value("channel"))@\(value("start"))")
    }

    /// The calls the rows make: rows of one call (a Dial row and the Hangup row after it, the legs of a transfer
    /// with newcdrcolumns) become one call, in the order the calls started.
    public static func calls(_ records: [Record]) -> [PBXCall] {
        let groups = Dictionary(grouping: records, by: \.callID)
        return groups.values.compactMap { rows -> PBXCall? in
            let rows = rows.sorted { $0.start < $1.start }
            let first = rows[0]
            let outbound = PBXCall.isExtension(first.source) && !PBXCall.isExtension(first.destination)
            if !outbound && PBXCall.isExtension(first.source) && PBXCall.isExtension(first.destination) { return nil }
            var rang: [String] = [], answeredBy: String?
            for row in rows where row.lastApplication.caseInsensitiveCompare("Dial") == .orderedSame {
                let targets = row.lastData.split(separator: ",", maxSplits: 1).first.map { $0.split(separator: "&").map(String.init) } ?? []
                for target in targets.compactMap(PBXCall.dialledNumber) where !rang.contains(target) { rang.append(target) }
                if answeredBy == nil, row.disposition == .answered, !row.destinationChannel.isEmpty {
                    // With several targets, the answering channel's name starts with its target's (`SIP/102-00000003`).
                    let answering = targets.first { target in
                        let peer = target.split(separator: "@").first.map(String.init) ?? target
                        return row.destinationChannel.hasPrefix(peer + "-")
                    } ?? targets.first
                    answeredBy = answering.flatMap(PBXCall.dialledNumber)
                }
            }
            let disposition = rows.map(\.disposition).max { rank($0) < rank($1) }!
            return PBXCall(id: first.callID, direction: outbound ? .outbound : .inbound,
                           externalNumber: outbound ? (rang.first ?? first.destination) : first.source,
                           callerName: outbound ? nil : PBXCall.callerName(first.callerID),
                           internalNumber: outbound ? first.source : first.destination, answeredBy: outbound ? nil : answeredBy,
                           rang: outbound ? [] : rang, startedAt: first.start, answeredAt: rows.compactMap(\.answer).min(),
                           endedAt: rows.map(\.end).max()!, talkSeconds: rows.map(\.billsec).max()!, disposition: disposition)
        }.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    /// Which of a call's rows tells its outcome: an answer over a busy line over no answer over a failure.
    static func rank(_ disposition: PBXCall.Disposition) -> Int {
        switch disposition {
        case .answered: 4
        case .busy: 3
        case .noAnswer: 2
        case .congestion: 1
        case .failed: 0
        }
    }

    static func parse(_ text: String, zone: TimeZone) -> Date? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == ":" }).compactMap { Int($0) }
        guard parts.count == 6, (try? LocalDate(year: parts[0], month: parts[1], day: parts[2])) != nil,
              (0...23).contains(parts[3]), (0...59).contains(parts[4]), (0...59).contains(parts[5]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5]))
    }
}

private extension String {
    var nonBlank: String? { isEmpty ? nil : self }
}
