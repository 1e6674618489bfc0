/// Retention (METRICS.md "Retention"): who keeps buying, and which regular customers have gone quiet for longer than
/// their own rhythm says they should.
public enum Retention {
    /// The least quiet spell, in days, that counts as a churn risk, whatever a customer's rhythm.
    public static let minimumQuietDays = 60.0
    public static let rhythmFactor = 1.5

    /// The median number of days between a customer's consecutive order days (nil with fewer than two).
    public static func medianGap(_ days: [LocalDate]) -> Double? {
        let sorted = Array(Set(days)).sorted()
        guard sorted.count >= 2 else { return nil }
        let gaps = zip(sorted, sorted.dropFirst()).map { Double($0.days(until: $1)) }.sorted()
        let middle = gaps.count / 2
        return gaps.count % 2 == 1 ? gaps[middle] : (gaps[middle - 1] + gaps[middle]) / 2
    }

    /// How many quiet days make a churn risk: 1.5 × the median gap, and at least 60.
    public static func threshold(medianGap: Double?) -> Double {
        max(minimumQuietDays, rhythmFactor * (medianGap ?? 0))
    }

    public struct Risk: Hashable, Sendable {
        public let lastOrder: LocalDate
        public let daysSince: Int
        public let medianGap: Double?
        public let threshold: Double
        public var atRisk: Bool { Double(daysSince) > threshold }
    }

    /// A customer's quiet spell on `asOf` from their last order day and rhythm, when no order comes after `asOf`.
    public static func risk(lastOrder: LocalDate, medianGap: Double?, asOf: LocalDate) -> Risk {
        Risk(lastOrder: lastOrder, daysSince: lastOrder.days(until: asOf), medianGap: medianGap, threshold: threshold(medianGap: medianGap))
    }

    /// A customer's quiet spell on `asOf`, from their order days up to then.
    public static func risk(orderDays: [LocalDate], asOf: LocalDate) -> Risk? {
        let days = orderDays.filter { $0 <= asOf }
        guard let last = days.max() else { return nil }
        let gap = medianGap(days)
        return Risk(lastOrder: last, daysSince: last.days(until: asOf), medianGap: gap, threshold: threshold(medianGap: gap))
    }
}
