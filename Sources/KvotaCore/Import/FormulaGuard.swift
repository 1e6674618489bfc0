/// A text a spreadsheet would run as a formula when it opens a CSV file (one a customer typed into a web form as
/// `=HYPERLINK(…)` or `@SUM(…)|cmd`) is written with a leading apostrophe, which Excel and LibreOffice show as
/// text, not as part of the value (OWASP, "CSV injection"). A number keeps its sign. Kvota's CSV export guards its fields
/// and its importer takes the guard off again, so an export imports back as it was.
public enum FormulaGuard {
    /// `=`, `+`, `-`, `@`, a tab and a carriage return: what a spreadsheet may start a formula with.
    private static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]

    public static func guarded(_ field: String) -> String {
        guard let first = field.utf8.first, formulaStarts.contains(first) else { return field }
        let rest = field.utf8.dropFirst()
        let number = !rest.isEmpty && rest.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: ".") }
        return (first == UInt8(ascii: "+") || first == UInt8(ascii: "-")) && number ? field : "'" + field
    }

    /// The field as it was before `guarded`: an apostrophe before a formula's first character is dropped.
    public static func unguarded(_ field: String) -> String {
        let utf8 = field.utf8
        guard utf8.first == UInt8(ascii: "'"), let second = utf8.dropFirst().first, formulaStarts.contains(second) else { return field }
        return String(field.dropFirst())
    }
}
