import Hummingbird
import KvotaCore
import Plot

/// The frame of every page: the language, the stylesheet and script, the menu for the user's role, who is signed
/// in, and the flash message above the content.
struct Layout {
    let page: PageContext
    let title: String
    /// Asks for the page again after this many seconds (a running import's page follows it without a script).
    var refreshSeconds: Int?

    func document(_ content: Node<HTML.BodyContext>) -> HTML {
        HTML(
            .attribute(named: "lang", value: page.t.language.rawValue),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .title("\(title) · Kvota"),
                .unwrap(refreshSeconds) { .meta(.attribute(named: "http-equiv", value: "refresh"), .content(String($0))) },
                .stylesheet(StaticAssets.path("kvota.css")),
                .script(.src(StaticAssets.path("kvota.js")), .attribute(named: "defer", value: nil, ignoreIfValueIsEmpty: false))
            ),
            .body(
                .a(.class("skip"), .href("#content"), .text(page.t(.navSkip))),
                header(),
                .main(.id("content"), flash(), content)
            )
        )
    }

    private func header() -> Node<HTML.BodyContext> {
        .header(
            .class("top"),
            .a(.class("brand"), .href(SiteURL.home.path), "Kvota"),
            .unwrap(page.actor) { navigation(for: $0) },
            .unwrap(page.user) { user in
                .div(.class("who"),
                     bell(),
                     .span(.text("\(user.name) · \(page.t(user.role.label))")),
                     .a(.href(SiteURL.profile.path), .text(page.t(.navProfile))),
                     signOutForm())
            }
        )
    }

    private func navigation(for actor: Actor) -> Node<HTML.BodyContext> {
        .nav(
            .class("main"), .attribute(named: "aria-label", value: page.t(.navMain)),
            .ul(.forEach(NavSection.visible(to: actor)) { section in
                .li(.a(.href(section.url.path), .attribute(named: "data-key", value: section.shortcut),
                       .if(section == page.section, .attribute(named: "aria-current", value: "page")),
                       .text(page.t(section.label))))
            })
        )
    }

    /// The bell: a link to one's alerts with the count of new ones.
    private func bell() -> Node<HTML.BodyContext> {
        let count = page.unreadAlerts
        return .a(.class(count > 0 ? "bell unread" : "bell"), .href(SiteURL.alerts(show: nil, before: nil).path),
                  .attribute(named: "title", value: count > 0 ? page.t(.navAlertsUnread, ["n": String(count)]) : page.t(.navAlerts)),
                  .text(page.t(.navAlerts)),
                  .if(count > 0, .span(.class("count"), .attribute(named: "aria-label", value: page.t(.navAlertsUnread, ["n": String(count)])),
                                       .text(count > 99 ? "99+" : String(count)))))
    }

    private func flash() -> Node<HTML.BodyContext> {
        .unwrap(page.flash) { flash in
            .p(.class("flash \(flash.kind.rawValue)"), .attribute(named: "role", value: flash.kind == .error ? "alert" : "status"),
               .text(page.t(flash.key)))
        }
    }

    private func signOutForm() -> Node<HTML.BodyContext> {
        .form(.class("inline"), .action(SiteURL.signOut.path), .method(.post),
              csrfField(page.csrfToken),
              .button(.type(.submit), .class("quiet"), .text(page.t(.navSignOut))))
    }
}

extension HTML {
    func response(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: .init(string: render())))
    }
}
