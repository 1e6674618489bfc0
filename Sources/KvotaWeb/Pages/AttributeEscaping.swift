import Plot

// Plot 0.14 escapes text but writes an attribute's value as it is given (`Attribute.render` puts it between quotes),
// so a `"` in a name, a search box's query or a web form's page address closed the attribute and the rest became
// markup: `/deals?q="><b>x` rendered a <b> element. Rather than have ~600 call sites remember to escape, these
// declarations shadow Plot's attribute functions of the same signature inside KvotaWeb (a module's own declaration
// wins over an imported one's), so every value is escaped wherever a page sets one. They are internal: only
// KvotaWeb renders pages. `MarkupInjectionTests` checks them on every page six roles reach (a test module sees Plot's
// and these alike, so it cannot call one by name).

extension String {
    /// The text as a double-quoted attribute value: `&`, `"`, `'`, `<` and `>` as character references.
    var attributeEscaped: String {
        guard contains(where: { "&\"'<>".contains($0) }) else { return self }
        var escaped = ""
        escaped.reserveCapacity(utf8.count + 16)
        for character in self {
            switch character {
            case "&": escaped += "&amp;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

extension Node {
    static func attribute(named name: String, value: String?, ignoreIfValueIsEmpty: Bool = true) -> Node {
        .attribute(Attribute(name: name, value: value?.attributeEscaped, ignoreIfValueIsEmpty: ignoreIfValueIsEmpty))
    }
}

extension Attribute {
    static func attribute(named name: String, value: String?) -> Self {
        Attribute(name: name, value: value?.attributeEscaped)
    }
}

extension Node where Context: HTMLContext {
    static func id(_ id: String) -> Node { .attribute(named: "id", value: id) }
    static func `class`(_ className: String) -> Node { .attribute(named: "class", value: className) }
    static func data(named name: String, value: String) -> Node { .attribute(named: "data-\(name)", value: value) }
    static func title(_ title: String) -> Node { .attribute(named: "title", value: title) }
}

extension Attribute where Context: HTMLContext {
    static func id(_ id: String) -> Attribute { .attribute(named: "id", value: id) }
    static func `class`(_ className: String) -> Attribute { .attribute(named: "class", value: className) }
    static func data(named name: String, value: String) -> Attribute { .attribute(named: "data-\(name)", value: value) }
    static func title(_ title: String) -> Attribute { .attribute(named: "title", value: title) }
}

extension Node where Context: HTMLNamableContext {
    static func name(_ name: String) -> Node { .attribute(named: "name", value: name) }
}

extension Attribute where Context: HTMLNamableContext {
    static func name(_ name: String) -> Attribute { .attribute(named: "name", value: name) }
}

extension Node where Context: HTMLValueContext {
    static func value(_ value: String) -> Node { .attribute(named: "value", value: value) }
}

extension Attribute where Context: HTMLValueContext {
    static func value(_ value: String) -> Attribute { .attribute(named: "value", value: value) }
}

extension Attribute where Context: HTMLTypeContext {
    static func type(_ type: String) -> Attribute { .attribute(named: "type", value: type) }
}

extension Node where Context: HTMLLinkableContext {
    static func href(_ url: URLRepresentable) -> Node { .attribute(named: "href", value: url.description) }
}

extension Attribute where Context: HTMLLinkableContext {
    static func href(_ url: URLRepresentable) -> Attribute { .attribute(named: "href", value: url.description) }
}

extension Node where Context: HTMLSourceContext {
    static func src(_ url: URLRepresentable) -> Node { .attribute(named: "src", value: url.description) }
}

extension Attribute where Context: HTMLSourceContext {
    static func src(_ url: URLRepresentable) -> Attribute { .attribute(named: "src", value: url.description) }
}

extension Node where Context == HTML.FormContext {
    static func action(_ url: URLRepresentable) -> Node { .attribute(named: "action", value: url.description) }
}

extension Node where Context == HTML.LabelContext {
    static func `for`(_ target: String) -> Node { .attribute(named: "for", value: target) }
}

extension Node where Context == HTML.TimeContext {
    static func datetime(_ datetime: String) -> Node { .attribute(named: "datetime", value: datetime) }
}

extension Attribute where Context == HTML.InputContext {
    static func placeholder(_ placeholder: String) -> Attribute { .attribute(named: "placeholder", value: placeholder) }
}

extension Node where Context == HTML.TextAreaContext {
    static func placeholder(_ placeholder: String) -> Node { .attribute(named: "placeholder", value: placeholder) }
}

extension Attribute where Context == HTML.OptionContext {
    static func label(_ label: String) -> Attribute { .attribute(named: "label", value: label) }
}

extension Attribute where Context == HTML.MetaContext {
    static func property(_ property: String) -> Attribute { .attribute(named: "property", value: property) }
    static func content(_ content: String) -> Attribute { .attribute(named: "content", value: content) }
}

extension Attribute where Context == HTML.ImageContext {
    static func alt(_ text: String) -> Attribute { .attribute(named: "alt", value: text) }
}

extension Node where Context: HTMLStylableContext {
    static func style(_ css: String) -> Node { .attribute(named: "style", value: css) }
}

extension Node where Context: HTML.BodyContext {
    static func ariaLabel(_ label: String) -> Node { .attribute(named: "aria-label", value: label) }
    static func ariaControls(_ child: String) -> Node { .attribute(named: "aria-controls", value: child) }
}

extension Node where Context == HTML.HeadContext {
    /// Plot's own adds twitter:title and og:title metas, writing the title into their `content` unescaped; a page
    /// of Kvota's is never shared as a card, so the title element is all it needs.
    static func title(_ title: String) -> Node { .element(named: "title", text: title) }
}
