import Testing
@testable import KvotaCore

struct OrderPricingTests {
    @Test func aLineIsQuantityTimesPriceLessDiscountConvertedAtTheRate() throws {
        // 2.5 units at 1 000.00 USD less 50.00 discount = 2 450.00 USD; at 0.92 EUR per USD = 2 254.00 EUR.
        // Cost 400.00 SEK a unit: 1 000.00 SEK, at 0.088 EUR per SEK = 88.00 EUR.
        let usd = try Currency("USD"), sek = try Currency("SEK")
        let inputs = OrderPricing.Inputs(
            unitPrice: 100_000, unitCost: Money(minorUnits: 40_000, currency: sek),
            orderRate: ExchangeRate(currency: usd, validFrom: try LocalDate(iso: "2026-01-01"), baseMicros: 920_000),
            costRate: ExchangeRate(currency: sek, validFrom: try LocalDate(iso: "2026-01-01"), baseMicros: 88_000))
        let line = OrderPricing.line(OrderLineDraft(productID: 1, quantityMilli: 2_500, discountMinor: 5_000), currency: usd, inputs: inputs)
        #expect(line.netMinor == 245_000)
        #expect(line.netBaseMinor == 225_400)
        #expect(line.costBaseMinor == 8_800)
    }

    @Test func theBaseCurrencyNeedsNoRate() {
        let line = OrderPricing.line(OrderLineDraft(productID: 1, quantityMilli: 3_000), currency: .EUR,
                                     inputs: .init(unitPrice: 999, unitCost: Money(minorUnits: 500, currency: .EUR), orderRate: nil, costRate: nil))
        #expect(line.netMinor == 2_997 && line.netBaseMinor == 2_997 && line.costBaseMinor == 1_500)
    }

    @Test func everyProblemOfALineIsNamedByItsPosition() {
        var errors = ValidationFailure.Collector()
        OrderPricing.check(OrderLineDraft(productID: 1, quantityMilli: 0, unitPriceMinor: -1, discountMinor: -2), index: 3, into: &errors)
        #expect(errors.errors.map(\.field) == ["lines[3].quantityMilli", "lines[3].discountMinor", "lines[3].unitPriceMinor"])
    }
}
