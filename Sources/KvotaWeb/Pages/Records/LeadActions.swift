import KvotaCore
import Plot

/// The next steps of a lead for its status (take in work, qualify or disqualify with a reason, convert), as forms
/// that come back to `returnPath`: the inbox and the lead's page show the same.
struct LeadActions {
    let page: PageContext
    let reasons: [LossReason]
    let returnPath: String

    func node(_ lead: Lead) -> Node<HTML.BodyContext> {
        let t = page.t
        switch lead.status {
        case .new:
            return statusForm(lead, to: .inWork, label: t(.leadsTake))
        case .inWork:
            return .div(.class("actions"),
                        statusForm(lead, to: .qualified, label: t(.leadsQualify)),
                        disqualifyForm(lead))
        case .qualified:
            return .div(.class("actions"),
                        .form(.class("inline"), .method(.post), .action(SiteURL.leadConvert(id: lead.id.rawValue).path),
                              csrfField(page.csrfToken), .input(.type(.hidden), .name("version"), .value(String(lead.version))),
                              .button(.type(.submit), .class("good"), .text(t(.leadsConvert)))),
                        disqualifyForm(lead))
        case .disqualified:
            return statusForm(lead, to: .inWork, label: t(.leadsTake))
        case .converted:
            return .empty
        }
    }

    private func statusForm(_ lead: Lead, to status: LeadStatus, label: String) -> Node<HTML.BodyContext> {
        .form(.class("inline"), .method(.post), .action(SiteURL.leadStatus(id: lead.id.rawValue).path),
              csrfField(page.csrfToken), hidden(lead, status),
              .button(.type(.submit), .class("quiet"), .text(label)))
    }

    private func disqualifyForm(_ lead: Lead) -> Node<HTML.BodyContext> {
        let t = page.t
        return .form(.class("inline"), .method(.post), .action(SiteURL.leadStatus(id: lead.id.rawValue).path),
                     csrfField(page.csrfToken), hidden(lead, .disqualified),
                     .label(.for("reason-\(lead.id.rawValue)"), .class("visually-hidden"), .text(t(.leadsReason))),
                     .select(.attribute(named: "id", value: "reason-\(lead.id.rawValue)"), .attribute(named: "name", value: "reason"),
                             .forEach(reasons) { option(value: $0.name, label: $0.name, selected: false) }),
                     .button(.type(.submit), .class("danger"), .text(t(.leadsDisqualify))))
    }

    private func hidden(_ lead: Lead, _ status: LeadStatus) -> Node<HTML.FormContext> {
        .group(.input(.type(.hidden), .name("status"), .value(status.rawValue)),
               .input(.type(.hidden), .name("version"), .value(String(lead.version))),
               .input(.type(.hidden), .name("return"), .value(returnPath)))
    }
}
