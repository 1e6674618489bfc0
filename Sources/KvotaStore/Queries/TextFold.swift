import Foundation
import SQLiteNIO
import SQLKit

/// Text compared in any case. PostgreSQL's LOWER folds every script; SQLite's folds ASCII only, so on SQLite a
/// search for "Север" or "Örebro" would miss "ООО «Север»" and "ÖREBRO" with it. There the text is folded by
/// Swift's own lowercasing, a function each SQLite connection gets (`kvota_fold`). Only searches with letters past
/// ASCII call it: for an ASCII search LOWER finds the same rows without a call into Swift per row.
enum TextFold {
    static let functionName = "kvota_fold"

    static func sqliteFunction() -> SQLiteCustomFunction {
        SQLiteCustomFunction(functionName, argumentCount: 1, pure: true) { values in
            values.first?.string?.lowercased()
        }
    }

    /// Whether SQLite's LOWER could miss a match for `text`: it has letters past ASCII.
    static func needed(for text: String) -> Bool {
        !text.utf8.allSatisfy { $0 < 0x80 }
    }
}

extension Database {
    /// A column in lower case for a search with `text` (`TextFold`).
    func lowered(_ column: String, for text: String) -> SQLQueryString {
        let function = engine == .sqlite && TextFold.needed(for: text) ? TextFold.functionName : "LOWER"
        return "\(unsafeRaw: function)(\(unsafeRaw: column))"
    }
}
