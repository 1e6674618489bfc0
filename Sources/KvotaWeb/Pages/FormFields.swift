import Plot

/// The hidden field every form posts its session's CSRF token in (checked by `AuthenticationMiddleware`).
func csrfField(_ token: String?) -> Node<HTML.FormContext> {
    .input(.type(.hidden), .name("_csrf"), .value(token ?? ""))
}

/// A labelled input with, when the last attempt failed, the reason right below it, tied to the input for screen
/// readers (`aria-describedby`).
func field(_ label: String, name: String, id: String? = nil, type: HTMLInputType, value: String = "", error: String? = nil,
           required: Bool = true, autocomplete: String? = nil) -> Node<HTML.FormContext> {
    let id = id ?? name
    return .group(
        .label(.for(id), .text(label)),
        .input(.id(id), .name(name), .type(type), .value(value), .required(required),
               .unwrap(autocomplete) { .attribute(named: "autocomplete", value: $0) },
               .attribute(named: "aria-invalid", value: error == nil ? "" : "true"),
               .attribute(named: "aria-describedby", value: error == nil ? "" : "\(id)-error")),
        .unwrap(error) { .p(.class("error"), .id("\(id)-error"), .text($0)) }
    )
}

/// A labelled select of `options` (value, label), with the current one selected.
func selectField(_ label: String, name: String, id: String? = nil, options: [(value: String, label: String)], selected: String?,
                 error: String? = nil) -> Node<HTML.FormContext> {
    let id = id ?? name
    return .group(
        .label(.for(id), .text(label)),
        .select(.attribute(named: "id", value: id), .attribute(named: "name", value: name),
                .attribute(named: "aria-invalid", value: error == nil ? "" : "true"),
                .attribute(named: "aria-describedby", value: error == nil ? "" : "\(id)-error"),
                .forEach(options) { option(value: $0.value, label: $0.label, selected: $0.value == selected) }),
        .unwrap(error) { .p(.class("error"), .id("\(id)-error"), .text($0)) }
    )
}

/// An `<option>` with its label as content: Plot's own writes a self-closed element with a `label` attribute, which
/// not every browser shows.
func option(value: String, label: String, selected: Bool) -> Node<HTML.SelectContext> {
    .element(named: "option", nodes: [
        .attribute(named: "value", value: value, ignoreIfValueIsEmpty: false),
        selected ? .attribute(named: "selected") : .empty,
        .text(label),
    ])
}

/// A labelled text area with, when the last attempt failed, the reason below it (as `field`).
func textareaField(_ label: String, name: String, value: String, error: String?, rows: Int = 4) -> Node<HTML.FormContext> {
    .group(.label(.for(name), .text(label)),
           .textarea(.id(name), .name(name), .attribute(named: "rows", value: String(rows)),
                     .attribute(named: "aria-invalid", value: error == nil ? "" : "true"),
                     .attribute(named: "aria-describedby", value: error == nil ? "" : "\(name)-error"), .text(value)),
           .unwrap(error) { .p(.class("error"), .id("\(name)-error"), .text($0)) })
}
