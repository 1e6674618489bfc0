import Foundation

/// A URL-encoded form or query as name and value pairs, in order, read by hand: Hummingbird's
/// `URLEncodedFormDecoder` refuses a repeated name unless the field is an array (a group of checkboxes), and the CSRF
/// check and saved views must read any form.
enum FormPairs {
    static func parse(_ text: String) -> [(String, String)] {
        text.split(separator: "&").compactMap { part in
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = pair.first?.removingPercentEncoding, !name.isEmpty else { return nil }
            let value = pair.count > 1 ? String(pair[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" : ""
            return (name, value)
        }
    }
}
