import KvotaCore
import Plot

/// How the analysis pages write their figures and name their choices.
extension AnalyticsForm {
    /// A measure's figure as the reader reads it: money in whole units of the base currency, quantities in units
    /// (stored in thousandths), counts as they are.
    struct ValueText {
        let measure: SalesMeasure
        let currency: Currency
        let t: Localizer

        func text(_ value: Int64) -> String { text(Double(value)) }

        func text(_ value: Double) -> String {
            switch measure {
            case .revenue, .margin: money(value)
            case .quantity: t.decimal(value / 1_000)
            default: t.decimal(value)
            }
        }

        func money(_ minor: Double) -> String {
            t.money(Money(minorUnits: Int64(minor.rounded()), currency: currency), showMinorUnits: false)
        }

        /// The figure in the unit a chart's axis counts (major units, whole quantities).
        func plotted(_ value: Int64) -> Double {
            switch measure {
            case .revenue, .margin: Double(value) / (0..<currency.minorUnitDigits).reduce(1.0) { value, _ in value * 10 }
            case .quantity: Double(value) / 1_000
            default: Double(value)
            }
        }
    }

    static func subjects(_ t: Localizer) -> [(String, String)] {
        [("customer", t(.analyticsSubjectCustomer)), ("product", t(.analyticsSubjectProduct))]
    }

    static func measures(_ t: Localizer, _ measures: [SalesMeasure]) -> [(String, String)] {
        measures.map { ($0.rawValue, t(DynamicsPage.label($0))) }
    }

    /// A customer links to their account; a product has no page of its own yet.
    static func subjectLink(_ subject: AnalysisSubject, id: Int64, name: String) -> Node<HTML.BodyContext> {
        subject == .customer ? .a(.href(SiteURL.account(id: id).path), .text(name)) : .text(name)
    }

    /// Money in minor units of the base currency, without cents.
    func money(_ minor: Int64, _ currency: Currency) -> String {
        page.t.money(Money(minorUnits: minor, currency: currency), showMinorUnits: false)
    }

    func percent(_ share: Double?) -> String {
        share.map { page.t.percent($0, fractionDigits: 1) } ?? page.t(.analyticsNa)
    }

    func count(_ value: Int) -> String { page.t.number(Int64(value)) }
}

extension AnalyticsForm {
    /// Key figures in a row, each with its label.
    static func figures(_ items: [(label: String, value: String)]) -> Node<HTML.BodyContext> {
        .dl(.class("figures"), .forEach(items) { item in .div(.dt(.text(item.label)), .dd(.text(item.value))) })
    }
}
