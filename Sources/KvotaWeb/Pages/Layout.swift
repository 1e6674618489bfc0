import Hummingbird
import Plot

/// The frame of every page. The web UI issue grows it (navigation by role, languages); for now it carries the
/// title, a little CSS, and who is signed in.
struct Layout {
    let title: String
    let signedInAs: String?
    let csrfToken: String?

    func document(_ content: Node<HTML.BodyContext>) -> HTML {
        HTML(
            .lang(.english),
            .head(.meta(.charset(.utf8)), .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                  .title("\(title) · Kvota"), .element(named: "style", text: Self.css)),
            .body(header(), .main(content))
        )
    }

    private func header() -> Node<HTML.BodyContext> {
        .header(
            .a(.href(SiteURL.home.path), .strong("Kvota")),
            .unwrap(signedInAs) { name in
                .span(.text(" · \(name) · "), .a(.href(SiteURL.password.path), "Password"), .text(" · "), signOutForm())
            }
        )
    }

    private func signOutForm() -> Node<HTML.BodyContext> {
        .form(.class("inline"), .action(SiteURL.signOut.path), .method(.post),
              .input(.type(.hidden), .name("_csrf"), .value(csrfToken ?? "")),
              .button(.type(.submit), "Sign out"))
    }

    static let css = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1d2330}header{padding:.75rem 1.5rem;background:#f2f4f8}
        main{padding:1.5rem;max-width:40rem}label{display:block;margin:.75rem 0 .25rem}input{padding:.4rem;width:18rem}
        .error{color:#a11}.notice{color:#175}form.inline{display:inline}button{padding:.4rem .9rem}
        """
}

extension HTML {
    func response(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: .init(string: render())))
    }
}

/// A field's input with its label and, when the last attempt failed, the reason beside it.
func field(_ label: String, name: String, type: HTMLInputType, value: String = "", error: String? = nil,
           autocomplete: String) -> Node<HTML.FormContext> {
    .group(
        .label(.for(name), .text(label)),
        .input(.id(name), .name(name), .type(type), .value(value), .required(true),
               .attribute(named: "autocomplete", value: autocomplete)),
        .unwrap(error) { .p(.class("error"), .text($0)) }
    )
}
