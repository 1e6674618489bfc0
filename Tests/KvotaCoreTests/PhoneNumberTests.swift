import Testing
@testable import KvotaCore

struct PhoneNumberTests {
    @Test(arguments: [
        ("070-123 45 67", "SE", "+46701234567"),
        ("+46 (0)70 123 45 67", "SE", "+46701234567"),
        ("0046701234567", "FI", "+46701234567"),
        ("8 (916) 123-45-67", "RU", "+79161234567"),
        ("+7 916 123 45 67", "SE", "+79161234567"),
        ("044 123 4567", "UA", "+380441234567"),
        ("(212) 555-0100", "US", "+12125550100"),
    ])
    func nationalAndInternationalFormsBecomeE164(text: String, country: String, expected: String) throws {
        #expect(try PhoneNumber.e164(text, country: country) == expected)
    }

    @Test func whatIsNotANumberNamesTheFieldAndTheInput() {
        #expect(throws: ValueError.invalid(field: "phones[0]", reason: "expected a phone number of digits, spaces and dashes, got 'call me'")) {
            try PhoneNumber.e164("call me", country: "SE", field: "phones[0]")
        }
        #expect(throws: ValueError.invalid(field: "phone", reason: "'070' is not a complete phone number")) {
            try PhoneNumber.e164("070", country: "SE")
        }
        #expect(throws: ValueError.invalid(field: "phone", reason: "write '070 123 45 67' with its country code, like +46…")) {
            try PhoneNumber.e164("070 123 45 67", country: "BR")
        }
    }
}
