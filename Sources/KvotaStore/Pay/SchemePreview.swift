import Foundation
import KvotaCore

/// What a scheme not yet saved would have paid in a past month, beside what was paid (or is worked out) then.
public struct SchemePreview: Sendable {
    public struct Person: Sendable {
        public let userID: User.ID
        /// The month's payout as it stands: approved, or worked out under the schemes in force; nil without any scheme.
        public let current: PayStatement?
        public let proposed: PayStatement
    }

    public let period: Period
    public let people: [Person]
}

extension Database {
    /// Works `period` (a month) out again for everyone `rules` would apply to, as if the scheme had been in force from
    /// the month's first day, over the same actuals and plans; nothing is written. A more particular scheme still wins
    /// (a user's own over their team's over their role's), as it would once this one is saved.
    public func previewScheme(name: String, appliesTo: CompensationScheme.AppliesTo, rules: PayRules, period: Period,
                              for actor: Actor) async throws -> SchemePreview {
        _ = try AccessPolicy.require(actor, .create, .compensationScheme)
        let context = try await payContext()
        let draft = CompensationScheme(id: .init(0), name: name, appliesTo: appliesTo, effectiveFrom: period.start, rules: rules, createdAt: Date())
        // Another version from the same first day is the one this one would replace.
        let proposed = PayContext(schemes: context.schemes.filter { !($0.appliesTo == appliesTo && $0.effectiveFrom >= period.start) } + [draft],
                                  zone: context.zone, currency: context.currency)
        let last = period.end.adding(days: -1)
        var people: [SchemePreview.Person] = []
        for user in try await users().filter(\.active).map(\.id).sorted() {
            let days = Self.assignmentDays(try await assignments(of: user), zone: context.zone)
            let runs = CompensationScheme.segments(proposed.schemes, user: user, period: period, where: days)
            guard runs.contains(where: { $0.scheme.id == draft.id }),
                  let (after, _) = try await workOut(user, period: period, asOf: last, context: proposed, live: true, for: actor) else { continue }
            let before = try await workOut(user, period: period, asOf: last, context: context, for: actor)?.0
            people.append(.init(userID: user, current: before?.statement, proposed: after.statement))
        }
        return SchemePreview(period: period, people: people)
    }
}
