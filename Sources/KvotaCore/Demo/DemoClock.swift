import Foundation

/// Turns a local day and second of day into a UTC instant without a `Calendar` per call: the generator makes
/// tens of millions of instants, so the zone's offset is looked up once per day. Business hours never touch a
/// daylight-saving gap, so the noon offset is the right one for every event the generator places.
struct DemoClock {
    let firstDay: Int
    private let offsets: [Int]

    init(timeZone: TimeZone, from: LocalDate, through: LocalDate) {
        firstDay = from.dayNumber
        offsets = (from.dayNumber...through.dayNumber + 1).map { day in
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(day * 86_400 + 43_200)))
        }
    }

    func instant(day: Int, second: Int) -> Date {
        let offset = offsets[min(max(day - firstDay, 0), offsets.count - 1)]
        return Date(timeIntervalSince1970: Double(day * 86_400 + second - offset))
    }

    /// The local day and second of day of an instant this clock made.
    func local(_ instant: Date) -> (day: Int, second: Int) {
        let t = Int(instant.timeIntervalSince1970)
        let guess = Int((Double(t) / 86_400).rounded(.down))
        let offset = offsets[min(max(guess - firstDay, 0), offsets.count - 1)]
        let local = t + offset
        let day = Int((Double(local) / 86_400).rounded(.down))
        return (day, local - day * 86_400)
    }
}
