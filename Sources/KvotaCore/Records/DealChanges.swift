import Foundation

/// A change to a deal (or the fields of a new one): nil leaves a field; `.some(nil)` clears an optional one. The
/// stage decides the status: entering a won or lost stage closes the deal, leaving it opens the deal again.
public struct DealPatch: Hashable, Sendable {
    public var title: String?
    public var accountID: Account.ID?
    public var contactID: Contact.ID??
    public var pipelineID: Pipeline.ID?
    public var stageID: Stage.ID?
    public var amountMinor: Int64?
    public var currency: String?
    public var expectedClose: LocalDate??
    public var forecastCategory: ForecastCategory?
    public var ownerID: User.ID?
    public var lossReason: String??
    /// The custom fields to set (null clears one); others stay.
    public var custom: [String: JSONValue]?

    public init() {}

    /// The deal after the change, before the checks that need the database (the stage's pipeline and outcome, the
    /// account, contact and owner), with every problem that needs none collected.
    public func applied(to deal: Deal, into errors: inout ValidationFailure.Collector) -> Deal {
        var changed = deal
        if let title { changed.title = title.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let accountID { changed.accountID = accountID }
        if let contactID { changed.contactID = contactID }
        if let pipelineID { changed.pipelineID = pipelineID }
        if let stageID { changed.stageID = stageID }
        if amountMinor != nil || currency != nil {
            var currencyValue = deal.amount.currency
            if let currency {
                do throws(ValueError) { currencyValue = try Currency(currency) } catch { errors.check(false, error.field, error.reason) }
            }
            let minor = amountMinor ?? deal.amount.minorUnits
            errors.check(minor >= 0, "amountMinor", "must not be negative")
            changed.amount = Money(minorUnits: minor, currency: currencyValue)
        }
        if let expectedClose { changed.expectedClose = expectedClose }
        if let forecastCategory { changed.forecastCategory = forecastCategory }
        if let ownerID { changed.ownerID = ownerID }
        if let lossReason {
            changed.lossReason = lossReason.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        errors.check(!changed.title.isEmpty, "title", "must not be empty")
        errors.check(changed.title.count <= 300, "title", "must be at most 300 characters")
        return changed
    }

    /// Settles what follows from the stage's outcome, once the store knows it: status, closing time, loss reason.
    public static func settle(_ deal: inout Deal, stageOutcome: StageOutcome, previous: Deal?, at now: Date,
                              into errors: inout ValidationFailure.Collector) {
        deal.status = stageOutcome
        switch stageOutcome {
        case .open:
            deal.closedAt = nil
            deal.lossReason = nil
        case .won:
            deal.closedAt = previous?.status == .won ? previous?.closedAt : now
            deal.lossReason = nil
        case .lost:
            deal.closedAt = previous?.status == .lost ? previous?.closedAt : now
            errors.check(deal.lossReason != nil, "lossReason", "is required when a deal is lost")
        }
    }
}
