import Foundation
import KvotaCore
import Plot

/// A web form's hosted copy at `/f/{key}` (for a site that links to it rather than embedding its own form), and the
/// answers a browser sees after posting: thanks, a form out of use, too many posts.
struct WebFormPage {
    enum Content {
        case form(WebForm, entered: [String: String], errors: [String: String])
        case message(UIKey)
    }

    let page: PageContext
    let content: Content

    static let shown: Set<String> = ["name", "phone", "email", "company", "message"]

    func html() -> HTML {
        let t = page.t
        switch content {
        case .message(let key):
            return Layout(page: page, title: t(.webFormTitle)).document(.group(.h1(.text(t(.webFormTitle))), .p(.text(t(key)))))
        case .form(let form, let entered, let errors):
            return Layout(page: page, title: form.name).document(.group(
                .h1(.text(form.name)),
                .p(.class("muted"), .text(t(.webFormIntro))),
                // Problems with fields this copy does not show (a site's own form's custom fields) are listed here.
                .if(!errors.isEmpty, .div(.class("flash error"), .attribute(named: "role", value: "alert"), .p(.text(t(.formHasErrors))),
                                          .ul(.forEach(errors.filter { !Self.shown.contains($0.key) }.sorted { $0.key < $1.key }) {
                                              .li(.text("\($0.key): \($0.value)"))
                                          }))),
                .form(.class("stacked"), .action(SiteURL.webForm(key: form.key).path), .method(.post),
                      field(t(.colName), name: "name", type: .text, value: entered["name"] ?? "", error: errors["name"], required: false),
                      field(t(.colPhone), name: "phone", type: .tel, value: entered["phone"] ?? "", error: errors["phone"], required: false),
                      field(t(.colEmail), name: "email", type: .email, value: entered["email"] ?? "", error: errors["email"], required: false),
                      field(t(.leadCompany), name: "company", type: .text, value: entered["company"] ?? "", error: errors["company"], required: false),
                      textareaField(t(.leadsMessage), name: "message", value: entered["message"] ?? "", error: errors["message"], rows: 4),
                      // The trap for robots: people do not see it, so whatever fills it in is not a person.
                      .div(.class("trap"), .attribute(named: "aria-hidden", value: "true"),
                           .label(.text("Website"), .input(.type(.text), .name(WebFormRoutes.honeypot), .attribute(named: "tabindex", value: "-1"),
                                                            .attribute(named: "autocomplete", value: "off")))),
                      .button(.type(.submit), .text(t(.webFormSubmit))))
            ))
        }
    }
}
