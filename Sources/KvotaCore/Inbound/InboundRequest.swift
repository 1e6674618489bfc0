import Foundation

/// The web-analytics tags a request came with (`utm_source`… on the landing page's address).
public struct UTMTags: Hashable, Sendable, Codable {
    public var source: String?
    public var medium: String?
    public var campaign: String?
    public var term: String?
    public var content: String?

    public init(source: String? = nil, medium: String? = nil, campaign: String? = nil, term: String? = nil, content: String? = nil) {
        self.source = source; self.medium = medium; self.campaign = campaign; self.term = term; self.content = content
    }

    // Key paths are immutable values; Swift 6 only lacks a Sendable conformance for them.
    nonisolated(unsafe) static let names: [(String, WritableKeyPath<UTMTags, String?>)] = [
        ("source", \.source), ("medium", \.medium), ("campaign", \.campaign), ("term", \.term), ("content", \.content)]

    /// The tags of a landing page's address, for a form that sends the page but not the tags.
    public init(pageURL: String) {
        let items = URLComponents(string: pageURL)?.queryItems ?? []
        for (name, path) in Self.names {
            self[keyPath: path] = items.first { $0.name == "utm_" + name }?.value.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    var isEmpty: Bool { Self.names.allSatisfy { self[keyPath: $0.1] == nil } }
}

/// A request as it reaches Kvota from outside (issue 9): a web form's post, an integration's lead, or a messenger
/// bridge's message. Nobody signed in wrote it, so everything in it is checked and bounded before it touches a lead.
public struct InboundRequest: Hashable, Sendable {
    public enum Via: String, CaseIterable, Sendable, Codable { case form, api, messenger }

    public var via: Via
    public var source: LeadSource
    /// Where it came through: `web_form`, `api`, or a messenger's name (`telegram`, `whatsapp`…).
    public var channel: String
    public var formID: WebForm.ID?
    /// A messenger's id of the sender: the same sender's next message joins the same conversation.
    public var senderID: String?
    public var name: String?
    public var phone: String?
    public var email: String?
    public var company: String?
    public var text: String?
    public var pageURL: String?
    public var utm = UTMTags()
    /// A region's code, as a form or an integration knows it.
    public var regionCode: String?
    /// The region the form itself stands for (set by the admin, never by the post); a code given wins.
    public var regionID: Region.ID?
    /// When the sender sent it (a messenger's time); nil is now.
    public var sentAt: Date?
    public var custom: [String: JSONValue] = [:]

    public init(via: Via, source: LeadSource, channel: String) {
        self.via = via; self.source = source; self.channel = channel
    }

    public static let fieldLimit = 300
    public static let textLimit = 10_000
    public static let addressLimit = 2_000

    /// The request trimmed and normalised (phone in E.164, email in lower case, UTM tags from the page's address when
    /// none came), with every problem named by its field. A request must say how to answer it: a phone, an email, or
    /// (for a messenger) the sender.
    public func normalised(country: String, now: Date, into errors: inout ValidationFailure.Collector) -> InboundRequest {
        var request = self
        func trimmed(_ value: String?, _ field: String, limit: Int = Self.fieldLimit) -> String? {
            guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            errors.check(value.count <= limit, field, "must be at most \(limit) characters")
            return value
        }
        request.name = trimmed(name, "name")
        request.company = trimmed(company, "company")
        request.senderID = trimmed(senderID, "senderId", limit: 200)
        request.regionCode = trimmed(regionCode, "region", limit: 40)
        request.text = trimmed(text, via == .messenger ? "text" : "message", limit: Self.textLimit)
        request.pageURL = trimmed(pageURL, "pageUrl", limit: Self.addressLimit)
        if let page = request.pageURL {
            let scheme = URLComponents(string: page)?.scheme?.lowercased()
            errors.check(scheme == "http" || scheme == "https", "pageUrl", "expected an http or https address, got '\(page)'")
        }
        for (name, path) in UTMTags.names {
            request.utm[keyPath: path] = trimmed(utm[keyPath: path], "utm" + name.prefix(1).uppercased() + name.dropFirst(), limit: 200)
        }
        if request.utm.isEmpty, let page = request.pageURL { request.utm = UTMTags(pageURL: page) }
        if let phone = trimmed(phone, "phone", limit: 40) {
            do throws(ValueError) { request.phone = try PhoneNumber.e164(phone, country: country) } catch {
                errors.check(false, error.field, error.reason)
            }
        } else {
            request.phone = nil
        }
        if let email = trimmed(email, "email", limit: 200)?.lowercased() {
            errors.check(UserDraft.looksLikeEmail(email), "email", "expected an address like name@example.com, got '\(email)'")
            request.email = email
        } else {
            request.email = nil
        }
        if via == .messenger {
            errors.check(Self.isChannelName(channel), "channel", "expected a messenger's name in lower-case letters, digits or underscores, got '\(channel)'")
            errors.check(request.senderID != nil || request.phone != nil, "senderId", "is required (the messenger's id of the sender), or a phone")
            errors.check(request.text != nil, "text", "is required")
        } else {
            errors.check(request.phone != nil || request.email != nil || errors.errors.contains { $0.field == "phone" || $0.field == "email" },
                         "phone", "give a phone or an email, so the request can be answered")
        }
        if let sentAt {
            // A sender's clock a little ahead of ours is theirs to keep; a time far ahead is a mistake.
            errors.check(sentAt <= now.addingTimeInterval(300), "sentAt", "must not be in the future")
            request.sentAt = min(sentAt, now)
        }
        return request
    }

    /// The name a lead from this request carries: the person's, else the company's, else how to reach them.
    public var leadName: String {
        name ?? company ?? email ?? phone ?? senderID.map { "\(channel) \($0)" } ?? channel
    }

    public static func isChannelName(_ text: String) -> Bool {
        (2...30).contains(text.count) && text.first!.isLetter
            && text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
    }
}
