import Hummingbird
import Plot

/// What a browser sees when a request fails: the status and a safe sentence, never internal error text.
struct ErrorPage {
    let status: Int
    let title: String
    let detail: String
    let requestID: String

    func response() -> Response {
        let content: Node<HTML.BodyContext> = .group(
            .h1(.text("\(status) \(title)")),
            .p(.text(status >= 500 ? "Something went wrong on our side." : detail)),
            .p(.small(.text("Request id: \(requestID)")))
        )
        return Layout(title: title, signedInAs: nil, csrfToken: nil).document(content).response()
    }
}
