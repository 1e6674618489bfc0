import Foundation

extension DemoCompany {
    /// Every working day each rep calls (in and out, answered and missed, with talk time), calls back missed
    /// callers, holds meetings, and creates tasks that end done on time, done late, open or overdue; plus notes and
    /// messages, and the calls and meetings scheduled by leads and deals.
    func generateActivities() async throws {
        var r = random("activities")
        var buffer = DemoBuffer<Activity>(size: batchSize) { .activities($0) }
        let workdays = (firstDay.dayNumber...options.asOf.dayNumber).filter(isWorkday)
        let scheduledCalls = scheduled.joined().filter { $0.kind == .call }.count
        let repActivity = reps.reduce(0) { $0 + $1.activity }
        let workload = workdays.reduce(0) { $0 + marketFactor(day: $1) } * max(repActivity, 1e-9)
        // Missed inbound calls that are called back add about 6 % on top of the planned calls.
        let callsPerUnit = Double(max(scale.calls - scheduledCalls, 0)) / 1.06 / workload
        let end = instant(day: options.asOf.dayNumber, second: 86_399)

        func add(_ kind: ActivityKind, owner: User.ID, account: AccountInfo?, deal: Deal.ID? = nil, lead: Lead.ID? = nil,
                 subject: String, at: Date, due: Date? = nil, done: Date? = nil, call: CallDetails? = nil) async throws {
            let contact = account.map { Contact.ID($0.firstContact.rawValue + Int64(r.int(0...($0.contactCount - 1)))) }
            var details = call
            if details != nil, details!.externalNumber == nil, let contact {
                details!.externalNumber = "+4670\(String(1_000_000 + contact.rawValue))"
            }
            try await buffer.append(Activity(
                id: .init(nextActivityID), kind: kind, ownerID: owner, accountID: account?.id, contactID: contact,
                dealID: deal, leadID: lead, subject: subject, occurredAt: at, dueAt: due, doneAt: done, call: details),
                to: self)
            nextActivityID += 1
        }

        func talk(_ r: inout DemoRandom) -> Int { Int(r.logNormal(median: 95, sigma: 0.9).rounded()) + 5 }

        for day in firstDay.dayNumber...options.asOf.dayNumber {
            for touch in scheduled[day - firstDay.dayNumber].sorted(by: { $0.at < $1.at }) {
                let account = touch.accountID.map { accounts[Int($0.rawValue - 1)] }
                switch touch.kind {
                case .call:
                    try await add(.call, owner: touch.ownerID, account: account, deal: touch.dealID, lead: touch.leadID,
                                  subject: touch.subject, at: touch.at, call: CallDetails(
                                    direction: .outbound, disposition: touch.answered ? .answered : .missed,
                                    externalNumber: nil, talkSeconds: touch.answered ? talk(&r) : 0))
                case .meeting:
                    try await add(.meeting, owner: touch.ownerID, account: account, deal: touch.dealID, subject: touch.subject,
                                  at: touch.at, due: touch.at, done: touch.answered ? touch.at.addingTimeInterval(3_600) : nil)
                default:
                    try await add(touch.kind, owner: touch.ownerID, account: account, deal: touch.dealID, lead: touch.leadID,
                                  subject: touch.subject, at: touch.at, done: touch.at)
                }
            }
            guard isWorkday(day) else { continue }
            let factor = marketFactor(day: day)
            for (repIndex, rep) in reps.enumerated() {
                let own = accountsOfRep[repIndex]
                func customer(_ r: inout DemoRandom) -> AccountInfo? { own.isEmpty ? nil : accounts[r.pick(own)] }

                for _ in 0..<r.poisson(callsPerUnit * rep.activity * factor) {
                    let at = instant(day: day, second: businessSecond(&r))
                    let outbound = r.chance(rep.teamKind == .acquisition ? 0.72 : 0.55)
                    let answered = r.chance(outbound ? 0.58 : 0.82)
                    let account = customer(&r)
                    try await add(.call, owner: rep.id, account: account,
                                  subject: outbound ? "Outbound call" : "Inbound call", at: at, call: CallDetails(
                                    direction: outbound ? .outbound : .inbound, disposition: answered ? .answered : .missed,
                                    externalNumber: nil, talkSeconds: answered ? talk(&r) : 0))
                    if !outbound && !answered && r.chance(0.72) {
                        let back = at.addingTimeInterval(r.logNormal(median: 420, sigma: 1.1))
                        if back < end {
                            let ok = r.chance(0.7)
                            try await add(.call, owner: rep.id, account: account, subject: "Call back", at: back,
                                          call: CallDetails(direction: .outbound, disposition: ok ? .answered : .missed,
                                                            externalNumber: nil, talkSeconds: ok ? talk(&r) : 0))
                        }
                    }
                }
                for _ in 0..<r.poisson(0.35 * rep.activity) {
                    let at = instant(day: day + r.int(0...6), second: 9 * 3600 + 1800 * r.int(0...14))
                    let held = at < end && r.chance(0.88)
                    try await add(.meeting, owner: rep.id, account: customer(&r), subject: "Customer meeting",
                                  at: at, due: at, done: held ? at.addingTimeInterval(3_600) : nil)
                }
                for _ in 0..<r.poisson(1.1 * rep.activity) {
                    let created = instant(day: day, second: businessSecond(&r))
                    let due = instant(day: day + r.int(0...5), second: 17 * 3600)
                    let roll = r.unit()
                    var done: Date? = roll < 0.72 ? created.addingTimeInterval(due.timeIntervalSince(created) * r.unit())
                        : roll < 0.9 ? due.addingTimeInterval(r.logNormal(median: 1.5, sigma: 0.8) * 86_400) : nil
                    if let d = done, d > end { done = nil }
                    try await add(.task, owner: rep.id, account: customer(&r), subject: r.pick(taskSubjects),
                                  at: created, due: due, done: done)
                }
                for _ in 0..<r.poisson(0.25 * rep.activity) {
                    try await add(.note, owner: rep.id, account: customer(&r), subject: "Note",
                                  at: instant(day: day, second: businessSecond(&r)))
                }
                for _ in 0..<r.poisson(0.6 * rep.activity) {
                    let at = instant(day: day, second: businessSecond(&r))
                    try await add(.message, owner: rep.id, account: customer(&r), subject: "Message", at: at, done: at)
                }
            }
        }
        try await buffer.flush(to: self)
    }

    var taskSubjects: [String] {
        ["Send proposal", "Follow up on quote", "Prepare contract", "Check payment", "Update price list",
         "Call about delivery", "Confirm order details"]
    }
}
