import KvotaCore
import Plot

/// Asked when a deal cannot enter a stage as it is: the fields the stage requires (amount, expected close,
/// contact, loss reason), each with its reason, keeping what was typed. Posting it moves the deal.
struct MoveDealPage {
    struct Entered {
        var amount = ""
        var expectedClose = ""
        var contact = ""
        var lossReason = ""
    }

    let page: PageContext
    let deal: Deal
    let stage: Stage
    let returnPath: String
    /// Problems by form field (`amount`, `expectedClose`, `contact`, `lossReason`, `products`, or `stage`).
    let errors: [String: String]
    let entered: Entered
    let contacts: [Contact]
    let lossReasons: [LossReason]

    func html() -> HTML {
        let t = page.t
        let title = t(.moveTitle, ["deal": deal.title, "stage": stage.name])
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            .p(.text(t(.moveExplain))),
            .unwrap(errors["stage"]) { .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .unwrap(errors["products"]) { .p(.class("flash error"), .attribute(named: "role", value: "alert"),
                                            .text("\(t(.moveProducts)): \($0)")) },
            .form(
                .class("stack"), .method(.post), .action(SiteURL.dealMove(id: deal.id.rawValue).path),
                csrfField(page.csrfToken),
                .input(.type(.hidden), .name("version"), .value(String(deal.version))),
                .input(.type(.hidden), .name("return"), .value(returnPath)),
                .input(.type(.hidden), .name("stage"), .value(String(stage.id.rawValue))),
                .if(errors["amount"] != nil,
                    field(t(.moveAmount, ["currency": deal.amount.currency.code]), name: "amount", type: .text, value: entered.amount,
                          error: errors["amount"], autocomplete: "off")),
                .if(errors["expectedClose"] != nil,
                    field(t(.moveExpectedClose), name: "expectedClose", type: .date, value: entered.expectedClose,
                          error: errors["expectedClose"])),
                .if(errors["contact"] != nil,
                    selectField(t(.moveContact), name: "contact",
                                options: [("", t(.moveChoose))] + contacts.map { (String($0.id.rawValue), $0.name) },
                                selected: entered.contact, error: errors["contact"])),
                .if(errors["lossReason"] != nil,
                    selectField(t(.moveLossReason), name: "lossReason",
                                options: [("", t(.moveChoose))] + lossReasons.map { ($0.name, $0.name) },
                                selected: entered.lossReason, error: errors["lossReason"])),
                .div(.class("actions"),
                     .button(.type(.submit), .text(t(.boardMove))),
                     .a(.class("button quiet"), .href(returnPath), .text(t(.moveBack))))
            )
        ))
    }
}

/// The stages a deal can move to, for a browser without JavaScript: one button per stage, each posting the move.
struct MoveChoicePage {
    let page: PageContext
    let deal: Deal
    let stages: [Stage]
    let returnPath: String

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.boardMoveTo)).document(.group(
            .h1(.text("\(deal.title): \(t(.boardMoveTo))")),
            .ul(.class("stages"), .forEach(stages.filter { $0.id != deal.stageID }) { stage in
                .li(.form(.class("inline"), .method(.post), .action(SiteURL.dealMove(id: deal.id.rawValue).path),
                          csrfField(page.csrfToken),
                          .input(.type(.hidden), .name("version"), .value(String(deal.version))),
                          .input(.type(.hidden), .name("return"), .value(returnPath)),
                          .input(.type(.hidden), .name("stage"), .value(String(stage.id.rawValue))),
                          .button(.type(.submit), .class(stage.outcome == .open ? "quiet" : stage.outcome == .won ? "good" : "danger"),
                                  .text(stage.name))))
            }),
            .p(.a(.href(returnPath), .text(t(.moveBack))))
        ))
    }
}
