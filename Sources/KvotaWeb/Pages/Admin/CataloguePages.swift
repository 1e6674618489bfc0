import Foundation
import KvotaCore
import Plot

/// Loss and disqualification reasons: each list in order, retire or use again, rename, and a form for a new one.
struct LossReasonsPage {
    let page: PageContext
    let reasons: [LossReason]
    var values: [String: String] = [:]
    var errors: [String: String] = [:]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.adminLossReasons)).document(.group(
            .h1(.text(t(.adminLossReasons))),
            .forEach([(LossReason.AppliesTo.deal, UIKey.reasonDeals), (.lead, .reasonLeads)]) { appliesTo, title in
                .section(.h2(.text(t(title))),
                         .ul(.class("reasons"), .forEach(reasons.filter { $0.appliesTo == appliesTo }) { reason in
                             .li(.form(.class("inline"), .method(.post), .action(SiteURL.adminLossReason(id: reason.id.rawValue).path),
                                       csrfField(page.csrfToken), .input(.type(.hidden), .name("version"), .value(String(reason.version))),
                                       .label(.for("reason-\(reason.id.rawValue)"), .class("visually-hidden"), .text(t(.reasonName))),
                                       .input(.id("reason-\(reason.id.rawValue)"), .name("name"), .type(.text), .value(reason.name)),
                                       .button(.type(.submit), .class("quiet"), .text(t(.commonSave))),
                                       .button(.type(.submit), .name("active"), .value(reason.active ? "false" : "true"), .class("quiet"),
                                               .text(t(reason.active ? .reasonRetire : .reasonRestore)))),
                                 .if(!reason.active, .span(.class("muted"), .text(" · " + t(.reasonRetired)))))
                         }))
            },
            .h2(.text(t(.reasonNew))),
            .if(!errors.isEmpty, .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text(t(.formHasErrors)))),
            .form(.class("filters"), .method(.post), .action(SiteURL.adminLossReasons.path),
                  csrfField(page.csrfToken),
                  .div(selectField(t(.reasonAppliesTo), name: "appliesTo", options: [("deal", t(.reasonDeals)), ("lead", t(.reasonLeads))],
                                   selected: values["appliesTo"], error: errors["appliesTo"])),
                  .div(field(t(.reasonName), name: "name", type: .text, value: values["name"] ?? "", error: errors["name"])),
                  .button(.type(.submit), .text(t(.commonSave))))
        ))
    }
}

/// Lead sources: the standard ones as they are, the company's own to rename, retire or use again, and a form for a
/// new one.
struct LeadSourcesPage {
    let page: PageContext
    let own: [OwnLeadSource]
    var values: [String: String] = [:]
    var errors: [String: String] = [:]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.adminLeadSources)).document(.group(
            .h1(.text(t(.adminLeadSources))),
            .ul(.class("reasons"),
                .forEach(LeadSource.standard) { source in .li(.text(source.label(t, own: [])), .span(.class("muted"), .text(" · " + source.rawValue))) },
                .forEach(own) { source in
                    .li(.form(.class("inline"), .method(.post), .action(SiteURL.adminLeadSource(key: source.key).path),
                              csrfField(page.csrfToken),
                              .label(.for("source-\(source.key)"), .class("visually-hidden"), .text(t(.fieldLabel))),
                              .input(.id("source-\(source.key)"), .name("label"), .type(.text), .value(source.label)),
                              .button(.type(.submit), .class("quiet"), .text(t(.commonSave))),
                              .button(.type(.submit), .name("active"), .value(source.active ? "false" : "true"), .class("quiet"),
                                      .text(t(source.active ? .reasonRetire : .reasonRestore)))),
                        .span(.class("muted"), .text(" · " + source.key + (source.active ? "" : " · " + t(.reasonRetired)))))
                }),
            .h2(.text(t(.sourceNew))),
            .if(!errors.isEmpty, .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text(t(.formHasErrors)))),
            .form(.class("filters"), .method(.post), .action(SiteURL.adminLeadSources.path),
                  csrfField(page.csrfToken),
                  .div(field(t(.fieldKey), name: "key", type: .text, value: values["key"] ?? "", error: errors["key"])),
                  .div(field(t(.fieldLabel), name: "label", type: .text, value: values["label"] ?? "", error: errors["label"])),
                  .button(.type(.submit), .text(t(.commonSave))))
        ))
    }
}

/// Custom fields by record kind: label, type, options, required, in use; and a form for a new field.
struct CustomFieldsPage {
    let page: PageContext
    let fields: [CustomField]
    var posted: Int64?
    var values: [String: String] = [:]
    var errors: [String: String] = [:]

    static let kinds: [RecordKind] = [.account, .contact, .lead, .deal, .order, .product, .activity]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.adminCustomFields)).document(.group(
            .h1(.text(t(.adminCustomFields))),
            .if(!errors.isEmpty, .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text(t(.formHasErrors)))),
            fields.isEmpty ? .p(.class("muted"), .text(t(.fieldNone))) : .table(
                .class("list"),
                .thead(.tr(.th(.text(t(.fieldKind))), .th(.text(t(.fieldKey))), .th(.text(t(.fieldLabel))), .th(.text(t(.fieldType))),
                           .th(.text(t(.fieldOptions))), .th(.text(t(.fieldRequired))), .th(.text(t(.pipelineActive))), .th())),
                .tbody(.forEach(fields) { row($0) })),
            .h2(.text(t(.fieldNew))),
            .form(.class("stack"), .method(.post), .action(SiteURL.adminCustomFields.path),
                  csrfField(page.csrfToken),
                  selectField(t(.fieldKind), name: "kind", options: Self.kinds.map { ($0.rawValue, t(Self.label($0))) },
                              selected: posted == 0 ? values["kind"] : nil, error: posted == 0 ? errors["kind"] : nil),
                  field(t(.fieldKey), name: "key", type: .text, value: posted == 0 ? values["key"] ?? "" : "", error: posted == 0 ? errors["key"] : nil),
                  field(t(.fieldLabel), name: "label", type: .text, value: posted == 0 ? values["label"] ?? "" : "",
                        error: posted == 0 ? errors["label"] : nil),
                  selectField(t(.fieldType), name: "type", options: CustomField.FieldType.allCases.map { ($0.rawValue, $0.rawValue) },
                              selected: posted == 0 ? values["type"] : nil, error: posted == 0 ? errors["type"] : nil),
                  .label(.for("options"), .text(t(.fieldOptions))),
                  .textarea(.id("options"), .name("options"), .attribute(named: "rows", value: "3"), .text(posted == 0 ? values["options"] ?? "" : "")),
                  .unwrap(posted == 0 ? errors["options"] : nil) { .p(.class("error"), .text($0)) },
                  .label(.class("check"), .input(.type(.checkbox), .name("required"), .value("true"), .checked(posted == 0 && values["required"] == "true")),
                         .text(" " + t(.fieldRequired))),
                  .div(.class("actions"), .button(.type(.submit), .text(t(.commonSave)))))
        ))
    }

    private func row(_ field: CustomField) -> Node<HTML.TableContext> {
        let t = page.t
        let id = field.id.rawValue, mine = posted == id
        let form = "field-\(id)"
        return .tr(
            .td(.attribute(named: "data-label", value: t(.fieldKind)), .text(t(Self.label(field.kind)))),
            .td(.attribute(named: "data-label", value: t(.fieldKey)), .code(.text(field.key))),
            .td(.attribute(named: "data-label", value: t(.fieldLabel)),
                .input(.name("label"), .type(.text), .value(mine ? values["label"] ?? "" : field.label), .attribute(named: "form", value: form),
                       .attribute(named: "aria-label", value: t(.fieldLabel))),
                .unwrap(mine ? errors["label"] : nil) { .p(.class("error"), .text($0)) }),
            .td(.attribute(named: "data-label", value: t(.fieldType)), .text(field.type.rawValue)),
            .td(.attribute(named: "data-label", value: t(.fieldOptions)),
                .if(field.type == .select || field.type == .multiselect,
                    .textarea(.name("options"), .attribute(named: "rows", value: "2"), .attribute(named: "form", value: form),
                              .attribute(named: "aria-label", value: t(.fieldOptions)),
                              .text(mine ? values["options"] ?? "" : field.options.joined(separator: "\n")))),
                .unwrap(mine ? errors["options"] : nil) { .p(.class("error"), .text($0)) }),
            .td(.attribute(named: "data-label", value: t(.fieldRequired)),
                .input(.type(.checkbox), .name("required"), .value("true"), .checked(field.required), .attribute(named: "form", value: form),
                       .attribute(named: "aria-label", value: t(.fieldRequired)))),
            .td(.attribute(named: "data-label", value: t(.pipelineActive)),
                .input(.type(.checkbox), .name("active"), .value("true"), .checked(field.active), .attribute(named: "form", value: form),
                       .attribute(named: "aria-label", value: t(.pipelineActive)))),
            .td(.form(.id(form), .method(.post), .action(SiteURL.adminCustomField(id: id).path),
                      csrfField(page.csrfToken), .input(.type(.hidden), .name("version"), .value(String(field.version))),
                      .button(.type(.submit), .class("quiet"), .text(t(.commonSave)))))
        )
    }

    static func label(_ kind: RecordKind) -> UIKey {
        switch kind {
        case .account: .navAccounts
        case .contact: .navContacts
        case .lead: .navLeads
        case .deal: .navDeals
        case .order: .navOrders
        case .product: .navProducts
        default: .navActivities
        }
    }
}

/// Integration tokens (the PBX, web forms, other systems): who and what each may do, when it was last used; a new
/// token's secret is shown once; revoking cuts it off at once.
struct TokensPage {
    let page: PageContext
    let tokens: [APIToken]
    let users: [User]
    var secret: String?
    var name = ""
    var errors: [String: String] = [:]

    func html() -> HTML {
        let t = page.t
        let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0.name) })
        return Layout(page: page, title: t(.adminTokens)).document(.group(
            .h1(.text(t(.adminTokens))),
            .unwrap(secret) { .p(.class("flash notice"), .attribute(named: "role", value: "status"), .text(t(.tokenSecret, ["token": $0]))) },
            tokens.isEmpty ? .p(.class("muted"), .text(t(.tokensNone))) : .table(
                .class("list"),
                .thead(.tr(.th(.text(t(.tokensName))), .th(.text(t(.colOwner))), .th(.text(t(.tokensCreated))), .th(.text(t(.tokensLastUsed))),
                           .th())),
                .tbody(.forEach(tokens) { token in
                    .tr(.td(.attribute(named: "data-label", value: t(.tokensName)), .text(token.name),
                            .if(token.revokedAt != nil, .span(.class("muted"), .text(" · " + t(.tokenRevoked))))),
                        .td(.attribute(named: "data-label", value: t(.colOwner)), .text(names[token.userID] ?? "")),
                        .td(.attribute(named: "data-label", value: t(.tokensCreated)), .text(t.dateTime(token.createdAt))),
                        .td(.attribute(named: "data-label", value: t(.tokensLastUsed)), .text(token.lastUsedAt.map(t.dateTime) ?? t(.commonNever))),
                        .td(.if(token.revokedAt == nil,
                                .form(.method(.post), .action(SiteURL.adminTokenRevoke(id: token.id.rawValue).path),
                                      .attribute(named: "data-confirm", value: t(.tokensRevoke) + "?"),
                                      csrfField(page.csrfToken), .button(.type(.submit), .class("danger"), .text(t(.tokensRevoke)))))))
                })),
            .h2(.text(t(.tokenNew))),
            .form(.class("filters"), .method(.post), .action(SiteURL.adminTokens.path),
                  csrfField(page.csrfToken),
                  .div(field(t(.tokensName), name: "name", type: .text, value: name, error: errors["name"])),
                  .button(.type(.submit), .text(t(.commonSave))))
        ))
    }
}

/// The region tree (indented under parents) with a form for a new region, and the sales channels.
struct RegionsPage {
    let page: PageContext
    let regions: [Region]
    let channels: [Channel]
    var values: [String: String] = [:]
    var errors: [String: String] = [:]

    func html() -> HTML {
        let t = page.t
        let options = CustomerLists.regionOptions(regions)
        return Layout(page: page, title: t(.adminRegions)).document(.group(
            .h1(.text(t(.adminRegions))),
            .ul(.class("regions"), .forEach(Array(zip(regions, options))) { region, option in
                .li(.text(option.label), .span(.class("muted"), .text(" · " + region.code)))
            }),
            .h2(.text(t(.regionNew))),
            .if(!errors.isEmpty, .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text(t(.formHasErrors)))),
            .form(.class("filters"), .method(.post), .action(SiteURL.adminRegions.path),
                  csrfField(page.csrfToken),
                  .div(field(t(.regionCode), name: "code", type: .text, value: values["code"] ?? "", error: errors["code"])),
                  .div(field(t(.pipelineName), name: "name", type: .text, value: values["name"] ?? "", error: errors["name"])),
                  .div(selectField(t(.regionParent), name: "parent", options: [("", t(.regionTop))] + options,
                                   selected: values["parent"], error: errors["parentId"])),
                  .button(.type(.submit), .text(t(.commonSave)))),
            .h2(.text(t(.channelList))),
            .ul(.forEach(channels) { channel in .li(.text(channel.name), .span(.class("muted"), .text(" · \(channel.code) · \(t(channel.kind.label))"))) }),
            .form(.class("filters"), .method(.post), .action(SiteURL.adminChannels.path),
                  csrfField(page.csrfToken),
                  .div(field(t(.regionCode), name: "code", id: "channel-code", type: .text, value: values["channelCode"] ?? "", error: errors["channelCode"])),
                  .div(field(t(.pipelineName), name: "name", id: "channel-name", type: .text, value: values["channelName"] ?? "",
                             error: errors["channelName"])),
                  .div(selectField(t(.teamKind), name: "kind", id: "channel-kind", options: ChannelKind.allCases.map { ($0.rawValue, t($0.label)) },
                                   selected: values["channelKind"], error: errors["channelKind"])),
                  .button(.type(.submit), .text(t(.commonSave))))
        ))
    }
}

extension ChannelKind {
    var label: UIKey {
        switch self {
        case .direct: .channelKindDirect
        case .dealer: .channelKindDealer
        case .distributor: .channelKindDistributor
        case .retail: .channelKindRetail
        case .custom: .channelKindCustom
        }
    }
}
