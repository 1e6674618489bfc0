import Hummingbird
import KvotaCore
import Plot

/// What a browser sees when a request fails: the status and a safe sentence in the reader's language, never
/// internal error text.
struct ErrorPage {
    let status: Int
    /// Already translated by `ProblemTexts`.
    let detail: String
    let requestID: String
    let language: KvotaCore.Language

    func response() -> Response {
        let page = PageContext(signedOut: language, secureCookies: false)
        let t = page.t
        let content: Node<HTML.BodyContext> = .group(
            .h1(.text(t(.errorTitle, ["status": String(status)]))),
            .p(.text(status >= 500 ? t(.errorServer) : detail)),
            .p(.class("muted"), .small(.text(t(.errorRequestId, ["id": requestID])))),
            .p(.a(.href(SiteURL.home.path), .text(t(.errorHome))))
        )
        return page.response(Layout(page: page, title: t(.errorTitle, ["status": String(status)])).document(content),
                             status: .init(code: status))
    }
}
