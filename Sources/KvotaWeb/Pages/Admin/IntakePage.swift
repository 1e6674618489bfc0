import Foundation
import KvotaCore
import KvotaStore
import Plot

/// The intake, for admins (issue 9): the web forms with the address and HTML to put on the site, the assignment rules
/// in the order they are tried, and the extensions calls came on that nobody has yet.
struct IntakePage {
    let page: PageContext
    let forms: [WebForm]
    let rules: [AssignmentRule]
    let unmapped: [UnmappedExtension]
    let regions: [Region]
    let users: [User]
    let teams: [Team]
    let ownSources: [OwnLeadSource]
    /// Where the forms' addresses start (`https://crm.example.com`).
    let base: String
    var values: [String: String] = [:]
    var errors: [String: String] = [:]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.adminIntake)).document(.group(
            .h1(.text(t(.adminIntake))),
            .if(!errors.isEmpty, .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text(t(.formHasErrors)))),
            .h2(.text(t(.intakeForms))),
            forms.isEmpty ? .p(.class("muted"), .text(t(.intakeNoForms))) : .ul(.class("reasons"), .forEach(forms) { form($0) }),
            .form(.class("filters"), .method(.post), .action(SiteURL.adminIntakeForms.path), csrfField(page.csrfToken),
                  .div(field(t(.colName), name: "name", type: .text, value: values["name"] ?? "", error: errors["name"])),
                  .div(selectField(t(.colSource), name: "source", options: sources, selected: values["source"] ?? "web_form", error: errors["source"])),
                  .div(selectField(t(.colRegion), name: "regionId", options: [("", "—")] + regionOptions, selected: values["regionId"],
                                   error: errors["regionId"])),
                  .div(field(t(.intakeRedirect), name: "redirectUrl", type: .url, value: values["redirectUrl"] ?? "", error: errors["redirectUrl"],
                             required: false)),
                  .button(.type(.submit), .text(t(.intakeAddForm)))),
            .h2(.text(t(.intakeRules))),
            .p(.class("muted"), .text(t(.intakeRulesExplain))),
            rules.isEmpty ? .p(.class("muted"), .text(t(.intakeNoRules))) : .ol(.class("reasons"), .forEach(ordered) { rule($0) }),
            .form(.class("filters"), .method(.post), .action(SiteURL.adminIntakeRules.path), csrfField(page.csrfToken),
                  .div(selectField(t(.intakeRuleKind), name: "kind", options: AssignmentRule.Kind.allCases.map { ($0.rawValue, kindLabel($0)) },
                                   selected: values["kind"], error: errors["kind"])),
                  .div(selectField(t(.colRegion), name: "regionId", id: "rule-region", options: [("", "—")] + regionOptions,
                                   selected: values["ruleRegion"], error: errors["ruleRegionId"])),
                  .div(selectField(t(.colSource), name: "source", id: "rule-source", options: [("", "—")] + sources, selected: values["ruleSource"],
                                   error: errors["ruleSource"])),
                  .div(field(t(.intakeChannel), name: "channel", type: .text, value: values["channel"] ?? "", error: errors["channel"], required: false)),
                  .div(selectField(t(.intakeGivesTo), name: "target", options: targets, selected: values["target"], error: errors["userId"])),
                  .button(.type(.submit), .text(t(.intakeAddRule)))),
            .h2(.text(t(.intakeExtensions))),
            unmapped.isEmpty ? .p(.class("muted"), .text(t(.intakeNoExtensions))) : .ul(.class("reasons"), .forEach(unmapped) { ext($0) })
        ))
    }

    private var sources: [(value: String, label: String)] {
        (LeadSource.standard + ownSources.filter(\.active).map { LeadSource(rawValue: $0.key) }).map { ($0.rawValue, $0.label(page.t, own: ownSources)) }
    }

    private var regionOptions: [(value: String, label: String)] { regions.map { (String($0.id.rawValue), $0.name) } }

    private var activeUsers: [User] { users.filter { $0.active && $0.role != .orderDesk } }

    private var targets: [(value: String, label: String)] {
        teams.map { ("team:\($0.id.rawValue)", page.t(.intakeTeamInTurns, ["team": $0.name])) } + activeUsers.map { ("user:\($0.id.rawValue)", $0.name) }
    }

    /// The rules as they are tried: regions, sources, any; by position within each.
    private var ordered: [AssignmentRule] {
        let order: [AssignmentRule.Kind] = [.region, .source, .any]
        return rules.sorted { (order.firstIndex(of: $0.kind)!, $0.position, $0.id) < (order.firstIndex(of: $1.kind)!, $1.position, $1.id) }
    }

    private func kindLabel(_ kind: AssignmentRule.Kind) -> String {
        let t = page.t
        return switch kind {
        case .region: t(.intakeKindRegion)
        case .source: t(.intakeKindSource)
        case .any: t(.intakeKindAny)
        }
    }

    private func form(_ form: WebForm) -> Node<HTML.ListContext> {
        let t = page.t
        let url = base + SiteURL.webForm(key: form.key).path
        let snippet = """
            <form method="post" action="\(url)">
              <input name="name"> <input name="phone"> <input name="email"> <textarea name="message"></textarea>
              <input name="website" tabindex="-1" autocomplete="off" style="position:absolute;left:-10000px" aria-hidden="true">
              <button>Send</button>
            </form>
            """
        return .li(
            .strong(.text(form.name)), .span(.class("muted"), .text(" · " + form.source.label(t, own: ownSources)
                + (form.regionID.flatMap { id in regions.first { $0.id == id }?.name }.map { " · " + $0 } ?? "")
                + (form.active ? "" : " · " + t(.reasonRetired)))),
            .div(.a(.href(url), .text(url))),
            .details(.summary(.text(t(.intakeEmbed))), .pre(.code(.text(snippet)))),
            .form(.class("inline"), .method(.post), .action(SiteURL.adminIntakeForm(id: form.id.rawValue).path), csrfField(page.csrfToken),
                  .input(.type(.hidden), .name("version"), .value(String(form.version))),
                  .button(.type(.submit), .name("active"), .value(form.active ? "false" : "true"), .class("quiet"),
                          .text(t(form.active ? .reasonRetire : .reasonRestore))))
        )
    }

    private func rule(_ rule: AssignmentRule) -> Node<HTML.ListContext> {
        let t = page.t
        let match: String = switch rule.kind {
        case .region: t(.intakeKindRegion) + ": " + (rule.regionID.flatMap { id in regions.first { $0.id == id }?.name } ?? "?")
        case .source: t(.intakeKindSource) + ": " + (rule.source?.label(t, own: ownSources) ?? "?") + (rule.channel.map { " (\($0))" } ?? "")
        case .any: t(.intakeKindAny)
        }
        let target = rule.teamID.flatMap { id in teams.first { $0.id == id } }.map { t(.intakeTeamInTurns, ["team": $0.name]) }
            ?? rule.userID.flatMap { id in users.first { $0.id == id }?.name } ?? "?"
        return .li(
            .text("\(match) → \(target)"), .if(!rule.active, .span(.class("muted"), .text(" · " + t(.reasonRetired)))),
            .if(rule.active, .form(.class("inline"), .method(.post), .action(SiteURL.adminIntakeRuleDelete(id: rule.id.rawValue).path),
                                   csrfField(page.csrfToken), .input(.type(.hidden), .name("version"), .value(String(rule.version))),
                                   .button(.type(.submit), .class("quiet"), .text(t(.intakeRemoveRule)))))
        )
    }

    private func ext(_ item: UnmappedExtension) -> Node<HTML.ListContext> {
        let t = page.t
        return .li(
            .strong(.text(item.extension)),
            .span(.class("muted"), .text(" · " + t(.intakeExtensionCalls, ["n": t.number(Int64(item.calls)), "last": t.dateTime(item.lastCallAt)]))),
            .form(.class("inline"), .method(.post), .action(SiteURL.adminIntakeExtension(extension: item.extension).path), csrfField(page.csrfToken),
                  .label(.for("ext-\(item.extension)"), .class("visually-hidden"), .text(t(.intakeGivesTo))),
                  .select(.attribute(named: "id", value: "ext-\(item.extension)"), .attribute(named: "name", value: "userId"),
                          .forEach(activeUsers) { option(value: String($0.id.rawValue), label: $0.name, selected: false) }),
                  .button(.type(.submit), .class("quiet"), .text(t(.intakeMapExtension))))
        )
    }
}
