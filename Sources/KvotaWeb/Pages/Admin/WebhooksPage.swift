import Foundation
import KvotaCore
import KvotaStore
import Plot

/// `/admin/webhooks`: the outgoing webhook subscriptions with their latest deliveries, for admins (docs/webhooks.md).
/// A new secret is shown on the page that made it, once.
struct WebhooksPage {
    let page: PageContext
    let subscriptions: [WebhookSubscription]
    /// The latest deliveries of each subscription, newest first.
    let recent: [WebhookSubscription.ID: [WebhookDelivery]]
    var secret: (url: String, secret: String)?
    var values: [String: String] = [:]
    var events: Set<String> = []
    var errors: [String: String] = [:]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.adminWebhooks)).document(.group(
            .h1(.text(t(.adminWebhooks))),
            .p(.class("muted"), .text(t(.webhooksExplain))),
            .unwrap(secret) { made in
                .p(.class("flash notice"), .attribute(named: "role", value: "status"),
                   .text(t(.webhooksSecret, ["url": made.url, "secret": made.secret])))
            },
            subscriptions.isEmpty ? .p(.class("muted"), .text(t(.webhooksNone))) : .ul(.class("reasons"), .forEach(subscriptions) { item($0) }),
            .h2(.text(t(.webhooksNew))),
            .if(!errors.isEmpty, .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text(t(.formHasErrors)))),
            .form(.class("filters"), .method(.post), .action(SiteURL.adminWebhooks.path), csrfField(page.csrfToken),
                  .div(field(t(.webhooksURL), name: "url", type: .url, value: values["url"] ?? "", error: errors["url"])),
                  .div(field(t(.webhooksDescription), name: "description", type: .text, value: values["description"] ?? "",
                             error: errors["description"], required: false)),
                  .fieldset(.element(named: "legend", text: t(.webhooksEvents)),
                            .forEach(WebhookEvent.allCases) { event in
                                .label(.class("check"), .input(.type(.checkbox), .name("events"), .value(event.rawValue),
                                                               .checked(events.contains(event.rawValue))), .text(" " + event.rawValue))
                            },
                            .unwrap(errors["events"]) { .p(.class("error"), .id("events-error"), .text($0)) }),
                  .button(.type(.submit), .text(t(.webhooksSubscribe))))
        ))
    }

    private func item(_ subscription: WebhookSubscription) -> Node<HTML.ListContext> {
        let t = page.t
        let id = subscription.id.rawValue
        let state: String = switch subscription.state {
        case .active: t(.webhooksActive)
        case .paused: t(.webhooksPaused, ["time": subscription.pausedAt.map(t.dateTime) ?? ""])
        case .disabled: t(.webhooksDisabled)
        }
        let toggle: (state: WebhookSubscription.State, label: UIKey) = switch subscription.state {
        case .active: (.disabled, .webhooksTurnOff)
        case .paused: (.active, .webhooksResume)
        case .disabled: (.active, .webhooksTurnOn)
        }
        return .li(
            .strong(.text(subscription.url)),
            .if(!subscription.description.isEmpty, .span(.class("muted"), .text(" · " + subscription.description))),
            .div(.text(subscription.events.map(\.rawValue).joined(separator: ", "))),
            .div(.class(subscription.state == .paused ? "flash error" : "muted"), .text(state),
                 .unwrap(subscription.pausedReason) { .text(" — " + $0) }),
            .unwrap(recent[subscription.id].flatMap { $0.isEmpty ? nil : $0 }) { deliveries in
                .details(.summary(.text(t(.webhooksRecent))),
                         .table(.class("list"), .tbody(.forEach(deliveries) { delivery($0) })))
            },
            .form(.class("inline"), .method(.post), .action(SiteURL.adminWebhookState(id: id).path), csrfField(page.csrfToken),
                  .input(.type(.hidden), .name("version"), .value(String(subscription.version))),
                  .button(.type(.submit), .name("state"), .value(toggle.state.rawValue), .class("quiet"), .text(t(toggle.label)))),
            .form(.class("inline"), .method(.post), .action(SiteURL.adminWebhookSecret(id: id).path), csrfField(page.csrfToken),
                  .attribute(named: "data-confirm", value: t(.webhooksNewSecret) + "?"),
                  .button(.type(.submit), .class("quiet"), .text(t(.webhooksNewSecret)))),
            .form(.class("inline"), .method(.post), .action(SiteURL.adminWebhookDelete(id: id).path), csrfField(page.csrfToken),
                  .attribute(named: "data-confirm", value: t(.webhooksDelete) + "?"),
                  .input(.type(.hidden), .name("version"), .value(String(subscription.version))),
                  .button(.type(.submit), .class("danger"), .text(t(.webhooksDelete))))
        )
    }

    private func delivery(_ delivery: WebhookDelivery) -> Node<HTML.TableContext> {
        let t = page.t
        let status: String = switch delivery.status {
        case .pending: t(.webhooksPending, ["time": delivery.nextAttemptAt.map(t.dateTime) ?? ""])
        case .delivered: t(.webhooksDelivered)
        case .failed: t(.webhooksFailed)
        }
        return .tr(.td(.text(t.dateTime(delivery.createdAt))), .td(.text(delivery.event.rawValue)), .td(.text(status)),
                   .td(.text(t(.webhooksAttempts, ["count": String(delivery.attempts)]))),
                   .td(.class("muted"), .text(delivery.lastError ?? delivery.responseStatus.map { "HTTP \($0)" } ?? "")))
    }
}
