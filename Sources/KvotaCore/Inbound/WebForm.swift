import Foundation

/// A form on the company's website that posts requests to `/f/{key}` (issue 9). The key is public (it sits in the
/// page's HTML); what the admin sets here (the source the leads carry, a fixed region, where the visitor goes after
/// sending) is never taken from the post, so a visitor cannot redirect anyone or pick an owner.
public struct WebForm: Hashable, Sendable, Codable {
    public typealias ID = Identifier<WebForm>
    public var id: ID
    public var key: String
    public var name: String
    public var source: LeadSource
    public var regionID: Region.ID?
    /// Where a browser goes after sending (the site's "thank you" page); nil shows Kvota's own.
    public var redirectURL: String?
    public var active: Bool
    public var createdAt: Date
    public var version: Int64

    public init(id: ID, key: String, name: String, source: LeadSource, regionID: Region.ID?, redirectURL: String?, active: Bool,
                createdAt: Date, version: Int64 = 1) {
        self.id = id; self.key = key; self.name = name; self.source = source; self.regionID = regionID
        self.redirectURL = redirectURL; self.active = active; self.createdAt = createdAt; self.version = version
    }
}

/// A change to a web form (or a new one): nil leaves a field, `.some(nil)` clears an optional one.
public struct WebFormPatch: Hashable, Sendable {
    public var name: String?
    public var source: LeadSource?
    public var regionID: Region.ID??
    public var redirectURL: String??
    public var active: Bool?

    public init() {}

    public func applied(to form: WebForm, into errors: inout ValidationFailure.Collector) -> WebForm {
        var changed = form
        if let name {
            changed.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
            errors.check((1...200).contains(changed.name.count), "name", "expected 1 to 200 characters")
        }
        if let source { changed.source = source }
        if let regionID { changed.regionID = regionID }
        if let redirectURL {
            changed.redirectURL = redirectURL?.trimmingCharacters(in: .whitespaces).nilIfEmpty
            if let url = changed.redirectURL {
                let parts = URLComponents(string: url)
                errors.check(url.count <= InboundRequest.addressLimit && ["http", "https"].contains(parts?.scheme?.lowercased() ?? "")
                             && !(parts?.host ?? "").isEmpty, "redirectUrl", "expected an http or https address, got '\(url)'")
            }
        }
        if let active { changed.active = active }
        return changed
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
