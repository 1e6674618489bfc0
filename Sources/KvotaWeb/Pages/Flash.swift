import Hummingbird

/// A one-time message for the next page, such as "Your language is saved." after a redirect. It travels in a
/// short-lived cookie as a catalog key, so it is shown in the reader's language and cannot carry arbitrary text.
struct Flash: Sendable, Equatable {
    enum Kind: String, Sendable { case notice, error }

    let kind: Kind
    let key: UIKey

    static let cookie = "kvota_flash"

    static func notice(_ key: UIKey) -> Flash { Flash(kind: .notice, key: key) }

    init(kind: Kind, key: UIKey) {
        self.kind = kind
        self.key = key
    }

    /// The flash a request brings, if its cookie names a known message.
    init?(_ request: Request) {
        guard let value = request.cookies[Self.cookie]?.value, let colon = value.firstIndex(of: ":"),
              let kind = Kind(rawValue: String(value[..<colon])),
              let key = UIKey(rawValue: String(value[value.index(after: colon)...])) else { return nil }
        self.init(kind: kind, key: key)
    }

    func cookie(secure: Bool) -> Cookie {
        Cookie(name: Self.cookie, value: "\(kind.rawValue):\(key.rawValue)", maxAge: 60, path: "/", secure: secure, httpOnly: true,
               sameSite: .lax)
    }

    static func clearing(secure: Bool) -> Cookie {
        Cookie(name: cookie, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

extension Response {
    /// A redirect after a form post (303), with a message for the page it lands on.
    static func redirect(to path: String, flash: Flash, secure: Bool) -> Response {
        var response = Response.redirect(to: path, type: .normal)
        response.setCookie(flash.cookie(secure: secure))
        return response
    }
}
