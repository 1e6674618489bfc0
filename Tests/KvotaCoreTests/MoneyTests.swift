import Testing
@testable import KvotaCore

@Suite struct MoneyTests {
    @Test func currencyCodesAreValidatedAndNormalised() throws {
        #expect(try Currency("sek").code == "SEK")
        #expect(throws: ValueError.invalid(field: "currency", reason: "must be a three-letter ISO 4217 code, got 'EU'")) {
            try Currency("EU")
        }
        #expect(throws: ValueError.self) { try Currency("E1R") }
        #expect(try Currency("JPY").minorUnitDigits == 0)
        #expect(Currency.EUR.minorUnitDigits == 2)
    }

    @Test func linePricingRoundsHalfAwayFromZero() {
        let price = Money(minorUnits: 1_999, currency: .EUR)  // 19.99
        #expect(price.multiplied(byMilli: 3_000).minorUnits == 5_997)
        #expect(price.multiplied(byMilli: 1_500).minorUnits == 2_999)  // 2998.5 → 2999
        #expect(Money(minorUnits: -1_999, currency: .EUR).multiplied(byMilli: 1_500).minorUnits == -2_999)
        #expect(Money(minorUnits: 1, currency: .EUR).multiplied(byMilli: 499).minorUnits == 0)
        // Large amount × large quantity does not overflow before dividing.
        #expect(Money(minorUnits: 9_000_000_000_000, currency: .EUR).multiplied(byMilli: 1_000_000).minorUnits
                == 9_000_000_000_000_000)
    }

    @Test func arithmeticRefusesMixedCurrencies() throws {
        let eur = Money(minorUnits: 100, currency: .EUR)
        #expect(try eur.adding(Money(minorUnits: 50, currency: .EUR)).minorUnits == 150)
        #expect(try eur.subtracting(Money(minorUnits: 150, currency: .EUR)).minorUnits == -50)
        #expect(throws: ValueError.currencyMismatch(.EUR, .SEK)) { try eur.adding(Money(minorUnits: 1, currency: .SEK)) }
    }

    @Test func descriptionShowsMinorUnitsAsDecimals() throws {
        #expect(Money(minorUnits: 123_450, currency: .EUR).description == "1234.50 EUR")
        #expect(Money(minorUnits: -5, currency: .SEK).description == "-0.05 SEK")
        #expect(Money(minorUnits: 500, currency: try Currency("JPY")).description == "500 JPY")
    }

    @Test func exchangeRateConvertsToBaseWithRounding() throws {
        let usd = ExchangeRate(currency: .USD, validFrom: try LocalDate(iso: "2026-01-01"), baseMicros: 920_000)
        #expect(usd.toBase(10_000) == 9_200)
        #expect(usd.toBase(1) == 1)        // 0.92 → 1
        #expect(usd.toBase(-1) == -1)
    }
}
