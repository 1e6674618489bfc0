import KvotaCore
import Plot

/// A new plan: its period, whose it is (only subjects the reader may set), a target per measure and a note. It is
/// written as a draft; approval is on its own page.
struct PlanNewPage {
    let page: PageContext
    let figures: PlanFigures
    /// (`company` / `team:ID` / `user:ID`, name).
    let subjects: [(value: String, label: String)]
    let entered: [String: String]
    let errors: [String: String]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.plansNew)).document(.group(
            .h1(.text(t(.plansNew))),
            PlansTab.nav(page, current: .plans),
            .unwrap(errors["form"]) { .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .form(.class("stack grid"), .method(.post), .action(SiteURL.planNew(period: nil).path),
                  csrfField(page.csrfToken),
                  field(t(.plansPeriod), name: "period", type: .text, value: entered["period"] ?? "", error: errors["period"], autocomplete: "off"),
                  selectField(t(.planSubject), name: "subject", options: subjects, selected: entered["subject"], error: errors["subject"]),
                  figures.targetFields(current: [:], entered: entered, errors: errors),
                  textareaField(t(.planRows), name: "rows", value: entered["rows"] ?? "", error: errors["rows"]),
                  field(t(.planNote), name: "note", type: .text, value: entered["note"] ?? "", error: errors["note"], required: false),
                  .div(.class("actions"), .button(.type(.submit), .text(t(.planCreate)))))
        ))
    }
}
