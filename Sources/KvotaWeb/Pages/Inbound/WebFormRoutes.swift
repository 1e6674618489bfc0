import Foundation
import HTTPTypes
import Hummingbird
import KvotaCore
import KvotaStore
import Logging

/// `/f/{key}` (issue 9): where a website's form posts, without a token or a session. A post is bounded (64 KiB, each
/// field by `InboundRequest`), rate-limited per client address, and a filled-in honeypot field is thanked and
/// dropped, so a robot learns nothing. An HTML form's post is answered with the form's thank-you page (the admin's
/// redirect, never one from the post); a script's JSON post with JSON it may read from any origin (CORS), refusals
/// included, never naming the lead or its owner.
struct WebFormRoutes {
    let database: Database
    let config: AppConfig
    let limiter: FormPostLimiter

    /// The field people do not see; a robot filling every field fills this one too.
    static let honeypot = "website"
    static let maxBody = 64 * 1024
    static let allowOrigin = HTTPField.Name("Access-Control-Allow-Origin")!

    /// Form names for the request's fields; the UTM tags also in the `utm_…` spelling of a landing page's address.
    // Key paths are immutable values; Swift 6 only lacks a Sendable conformance for them.
    nonisolated(unsafe) private static let names: [(String, WritableKeyPath<InboundRequest, String?>)] = [
        ("name", \.name), ("phone", \.phone), ("email", \.email), ("company", \.company), ("message", \.text), ("pageUrl", \.pageURL),
        ("page_url", \.pageURL), ("region", \.regionCode), ("utm_source", \.utm.source), ("utm_medium", \.utm.medium),
        ("utm_campaign", \.utm.campaign), ("utm_term", \.utm.term), ("utm_content", \.utm.content), ("utmSource", \.utm.source),
        ("utmMedium", \.utm.medium), ("utmCampaign", \.utm.campaign), ("utmTerm", \.utm.term), ("utmContent", \.utm.content),
    ]

    func register(public router: Router<AppRequestContext>) {
        let route = RouterPath(SiteURL.webForm(key: "").route)
        router.get(route) { request, context in
            let page = SignInRoutes.signedOutPage(request, secureCookies: config.secureCookies)
            guard let form = try await database.activeWebForm(key: try context.parameters.require("key")) else {
                return page.response(WebFormPage(page: page, content: .message(.webFormUnknown)).html(), status: .notFound)
            }
            return page.response(WebFormPage(page: page, content: .form(form, entered: [:], errors: [:])).html())
        }
        router.on(route, method: .options) { _, _ in
            Response(status: .noContent, headers: [Self.allowOrigin: "*", HTTPField.Name("Access-Control-Allow-Methods")!: "POST",
                                                    HTTPField.Name("Access-Control-Allow-Headers")!: "Content-Type", HTTPField.Name("Access-Control-Max-Age")!: "86400"])
        }
        router.post(route) { request, context in
            try await post(request, context: context)
        }
    }

    private func post(_ request: Request, context: AppRequestContext) async throws -> Response {
        let json = request.headers[.contentType]?.hasPrefix("application/json") == true
        let page = SignInRoutes.signedOutPage(request, secureCookies: config.secureCookies)
        // A refusal: for a script, JSON it can read from any origin; for a browser, the page saying why.
        func refusal(_ key: UIKey, status: HTTPResponse.Status, headers: HTTPFields = [:], errors: [String: String] = [:]) throws -> Response {
            var response = json ? try JSONBody.response(Message(received: false, message: page.t(key), errors: errors), status: status)
                : page.response(WebFormPage(page: page, content: .message(key)).html(), status: status)
            response.headers.append(contentsOf: headers)
            response.headers[Self.allowOrigin] = "*"
            return response
        }
        guard let form = try await database.activeWebForm(key: try context.parameters.require("key")) else {
            return try refusal(.webFormUnknown, status: .notFound)
        }
        if let wait = await limiter.admit(context.clientAddress, at: config.now()) {
            context.logger.notice("web form posts refused for their rate", metadata: ["form": "\(form.id)", "address": "\(context.clientAddress)"])
            return try refusal(.webFormTooMany, status: .tooManyRequests, headers: [.retryAfter: String(wait)])
        }
        var request = request
        let fields = try await Self.fields(of: &request, json: json)
        var inbound = InboundRequest(via: .form, source: form.source, channel: "web_form")
        inbound.formID = form.id
        inbound.regionID = form.regionID
        for (name, path) in Self.names { if let value = fields[name] { inbound[keyPath: path] = value } }
        if inbound.pageURL == nil { inbound.pageURL = request.headers[.referer] }
        inbound.custom = try await customValues(fields)
        if !(fields[Self.honeypot] ?? "").isEmpty {
            context.logger.notice("a web form post filled the honeypot and was dropped", metadata: ["form": "\(form.id)", "address": "\(context.clientAddress)"])
            return try thanks(form, json: json, page: page)
        }
        do {
            _ = try await database.receiveInbound(inbound, at: config.now(), address: context.clientAddress)
        } catch let failure as ValidationFailure {
            context.logger.notice("a web form post was refused", metadata: ["form": "\(form.id)", "problems": "\(failure)"])
            if json { return try refusal(.formHasErrors, status: .unprocessableContent, errors: failure.formErrors(in: page.t.language)) }
            return page.response(WebFormPage(page: page, content: .form(form, entered: fields, errors: failure.formErrors(in: page.t.language))).html(),
                                 status: .unprocessableContent)
        }
        return try thanks(form, json: json, page: page)
    }

    private func thanks(_ form: WebForm, json: Bool, page: PageContext) throws -> Response {
        if json {
            var response = try JSONBody.response(Message(received: true, message: page.t(.webFormThanks), errors: [:]), status: .created)
            response.headers[Self.allowOrigin] = "*"
            return response
        }
        if let target = form.redirectURL { return Response(status: .seeOther, headers: [.location: target]) }
        return page.response(WebFormPage(page: page, content: .message(.webFormThanks)).html())
    }

    /// What a script reads back: whether the request was taken, a message to show, and each refused field's reason.
    struct Message: Encodable { let received: Bool; let message: String; let errors: [String: String] }

    /// The post's fields as text, from a urlencoded form or a flat JSON object (numbers and booleans as their text).
    private static func fields(of request: inout Request, json: Bool) async throws -> [String: String] {
        let body = try await request.collectBody(upTo: maxBody)
        guard json else { return Dictionary(FormPairs.parse(String(buffer: body)), uniquingKeysWith: { _, b in b }) }
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(buffer: body)) else {
            throw ValidationFailure([.invalid(field: "body", reason: "expected a JSON object of the form's fields")])
        }
        return object.compactMapValues { value in
            switch value {
            case .string(let text): text
            case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
            case .bool(let flag): String(flag)
            default: nil
            }
        }
    }

    /// Fields named after a lead's custom field (`budget` or `custom.budget`), read as their type; other unknown
    /// names (a consent box, the submit button) are ignored, as a site's form has them.
    private func customValues(_ fields: [String: String]) async throws -> [String: JSONValue] {
        let custom = try await database.webFormCustomFields()
        var values: [String: JSONValue] = [:]
        for field in custom {
            guard let text = fields["custom." + field.key] ?? fields[field.key], !text.isEmpty else { continue }
            values[field.key] = ImportText.customValue(text, type: field.type) ?? .string(text)
        }
        return values
    }
}
