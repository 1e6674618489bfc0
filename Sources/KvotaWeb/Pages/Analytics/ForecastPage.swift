import KvotaCore
import Plot

/// The forecast page: the outlook for this month and quarter against the plan, the chart (actuals, the forecast lines,
/// the history forecast's interval band, the plan), the month table, the accuracy table, the stages' odds and, when
/// split, one line per group.
struct ForecastPage {
    let page: PageContext
    let query: ForecastReport.Query
    let report: ForecastReport
    /// The scopes the reader may pick: value (`company`, `team:ID`, `user:ID`) and label.
    let scopes: [(value: String, label: String)]
    let errors: [String: String]
    let currency: Currency
    /// The regular customers' next orders (the first few, late ones first), when the forecast is not split.
    var expected: RunRateReport?

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.forecastTitle)).document(.group(
            .h1(.text(t(.forecastTitle))),
            .p(.class("muted"), .text(t(.forecastAbout))),
            form(),
            outlooks(),
            AnalyticsForm.figure(t(.analyticsRevenue), chart()),
            monthTable(),
            reps(),
            accuracy(),
            recorded(),
            moved(),
            expectedOrders(),
            groups(),
            stages()
        ))
    }

    private func money(_ value: Int64) -> String { page.t.money(Money(minorUnits: value, currency: currency), showMinorUnits: false) }

    private func money(_ value: Int64?) -> String { value.map { money($0) } ?? "" }

    private func major(_ value: Int64) -> Double { Double(value) / pow10(currency.minorUnitDigits) }

    private func pow10(_ digits: Int) -> Double { (0..<digits).reduce(1.0) { value, _ in value * 10 } }

    private var queryPairs: [(String, String)] {
        var pairs = [("scope", query.scope.description), ("horizon", String(query.horizon))]
        if let by = query.by { pairs.append(("by", by.rawValue)) }
        return pairs
    }

    private func form() -> Node<HTML.BodyContext> {
        let t = page.t
        let horizons: [(value: String, label: String)] = [3, 6, 9, 12, 18, 24].map { (String($0), String($0)) }
        let splits: [(value: String, label: String)] = [("", t(.analyticsByNone)), ("region", t(.analyticsDimRegion)),
                                                         ("channel", t(.analyticsDimChannel)), ("category", t(.analyticsDimCategory))]
        return .group(
            .if(!errors.isEmpty, .div(.class("flash error"), .attribute(named: "role", value: "alert"),
                                      .ul(.forEach(errors.sorted { $0.key < $1.key }) { name, reason in .li(.code(.text(name)), .text(": " + reason)) }))),
            .form(.class("filters"), .method(.get), .action(SiteURL.forecast(query: "").path),
                  .div(selectField(t(.forecastScope), name: "scope", options: scopes, selected: query.scope.description, error: nil)),
                  .div(selectField(t(.forecastHorizon), name: "horizon", options: horizons, selected: String(query.horizon), error: nil)),
                  .div(selectField(t(.forecastBy), name: "by", options: splits, selected: query.by?.rawValue ?? "", error: nil)),
                  .button(.type(.submit), .text(t(.analyticsShow)))),
            .p(.a(.href("/api/v1/forecast?" + ListQuery.encode(queryPairs + [("format", "csv")])), .attribute(named: "download", value: ""),
                  .text(t(.analyticsCsv))))
        )
    }

    private func outlooks() -> Node<HTML.BodyContext> {
        guard let outlook = report.outlook else { return .empty }
        return .div(.class("cards"), card(.forecastOutlookMonth, outlook["month"]), card(.forecastOutlookQuarter, outlook["quarter"]))
    }

    private func card(_ title: UIKey, _ outlook: ForecastReport.Outlook?) -> Node<HTML.BodyContext> {
        let t = page.t
        guard let outlook else { return .empty }
        let plan: Node<HTML.BodyContext> = switch (outlook.plan, outlook.gap) {
        case let (plan?, gap?) where gap > 0: .p(.class("gap"), .text(t(.forecastGapLine, ["plan": money(plan), "gap": money(gap)])))
        case let (plan?, gap?): .p(.class("ahead"), .text(t(.forecastAheadLine, ["plan": money(plan), "gap": money(-gap)])))
        default: .p(.class("muted"), .text(t(.forecastNoPlan)))
        }
        return .div(.class("card"),
                    .h2(.text(t(title) + " · " + outlook.period)),
                    .p(.class("figure"), .text(money(outlook.outlook))),
                    .p(.class("muted"), .text(t(.forecastOutlookLine, ["actual": money(outlook.actual), "weighted": money(outlook.weighted),
                                                                        "outlook": money(outlook.outlook)]))),
                    plan)
    }

    private func chart() -> Node<HTML.BodyContext> {
        let t = page.t
        let rows = report.months.map(\.row)
        let current = query.past
        func line(_ name: UIKey, _ colour: Int, _ value: (RevenueForecast.Row) -> Int64?, dashed: Bool = false) -> Chart.Series? {
            guard let first = rows.firstIndex(where: { value($0) != nil }) else { return nil }
            let values = rows[first...].prefix { value($0) != nil }.map { major(value($0)!) }
            return Chart.Series(name: t(name), values: values, start: first, dashed: dashed, colour: colour)
        }
        // Colours by meaning: what came in blue, the history forecast in green, the deals' numbers in warm colours, the
        // plan in black. The current month's actual is to date: drawn as its own point, so the line of whole months
        // does not dip.
        let now = rows.indices.contains(current) ? rows[current].month : nil
        let series = [line(.forecastActual, 0, { now == nil || $0.month < now! ? $0.actual : nil }),
                      now.map { _ in Chart.Series(name: t(.forecastActualToDate), values: [major(rows[current].actual ?? 0)], start: current, colour: 4) },
                      line(.forecastHistory, 2, { $0.low == nil ? nil : $0.history }, dashed: true),
                      line(.forecastWeighted, 1, \.weighted, dashed: true), line(.forecastCommit, 5, \.commit, dashed: true),
                      line(.forecastBestCase, 3, \.bestCase, dashed: true), line(.forecastPlan, 7, \.plan)].compactMap { $0 }
        let ahead = Array(rows[min(current, rows.count)...])
        let band: Chart.Band? = ahead.first?.low == nil ? nil
            : Chart.Band(name: t(.forecastInterval), low: ahead.map { major($0.low ?? 0) }, high: ahead.map { major($0.high ?? 0) },
                         start: current, series: series.firstIndex { $0.name == t(.forecastHistory) } ?? 0)
        return LineChart(title: t(.analyticsRevenue), categories: rows.map(\.month.label), series: series, format: .money(currency),
                         band: band).node(t)
    }

    private func monthTable() -> Node<HTML.BodyContext> {
        let t = page.t
        let columns: [UIKey] = [.forecastActual, .forecastWeighted, .forecastCommit, .forecastAdjusted, .forecastBestCase, .forecastHistory,
                                .forecastInterval, .forecastPlan]
        return .table(.class("list"),
                      .thead(.tr(.th(.text(t(.forecastMonth))), .forEach(columns) { .th(.class("number"), .text(t($0))) })),
                      .tbody(.forEach(report.months.map(\.row)) { row in monthRow(row) }))
    }

    private func monthRow(_ row: RevenueForecast.Row) -> Node<HTML.TableContext> {
        let interval = row.low.flatMap { low in row.high.map { money(low) + " – " + money($0) } } ?? ""
        return .tr(.td(.text(row.month.label)), .td(.class("number"), .text(money(row.actual))), .td(.class("number"), .text(money(row.weighted))),
                   .td(.class("number"), .text(money(row.commit))), .td(.class("number"), .text(money(row.adjusted))),
                   .td(.class("number"), .text(money(row.bestCase))),
                   .td(.class("number"), .text(money(row.history))), .td(.class("number"), .text(interval)),
                   .td(.class("number"), .text(money(row.plan))))
    }

    /// This month's commit per person beside their head's number, with a form on each line the reader may adjust.
    private func reps() -> Node<HTML.BodyContext> {
        let t = page.t
        guard let reps = report.reps, !reps.isEmpty, let month = report.months.map(\.row.month).dropFirst(query.past).first else { return .empty }
        let back = ListQuery.encode(queryPairs)
        return .group(
            .h2(.text(t(.forecastRepsTitle) + " · " + month.label)),
            .p(.class("muted"), .text(t(.forecastRepsAbout))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.forecastPerson))), .th(.class("number"), .text(t(.forecastOwnCommit))),
                              .th(.text(t(.forecastHeadNumber))))),
                   .tbody(.forEach(reps) { rep in repRow(rep, month: month, back: back) }))
        )
    }

    private func repRow(_ rep: ForecastReport.RepCommit, month: Period, back: String) -> Node<HTML.TableContext> {
        let t = page.t
        let editable = page.actor.map { AccessPolicy.allows($0, .update, .forecastAdjustment, owner: User.ID(rep.userId)) } ?? false
        let number: Node<HTML.BodyContext> = editable
            ? .form(.class("adjust"), .method(.post), .action(SiteURL.forecastAdjust.path),
                    csrfField(page.csrfToken),
                    .input(.type(.hidden), .name("user"), .value(String(rep.userId))),
                    .input(.type(.hidden), .name("month"), .value(month.label)),
                    .input(.type(.hidden), .name("return"), .value(back)),
                    .unwrap(rep.version) { .input(.type(.hidden), .name("version"), .value(String($0))) },
                    .input(.type(.text), .name("amount"), .attribute(named: "inputmode", value: "decimal"),
                           .attribute(named: "aria-label", value: t(.forecastHeadNumber) + " · " + rep.user),
                           .value(rep.adjustedMinor.map { Money(minorUnits: $0, currency: currency).decimalText } ?? "")),
                    .input(.type(.text), .name("note"), .attribute(named: "aria-label", value: t(.forecastNote) + " · " + rep.user),
                           .attribute(named: "placeholder", value: t(.forecastNote)), .value(rep.note ?? "")),
                    .button(.type(.submit), .text(t(.commonSave))))
            : .text(rep.adjustedMinor.map { money($0) + (rep.note.map { " · " + $0 } ?? "") } ?? "")
        return .tr(.td(.text(rep.user)), .td(.class("number"), .text(money(rep.commitMinor))), .td(number))
    }

    private func methodText(_ method: String?, months: Int) -> String {
        let t = page.t
        switch method.flatMap(HistoryForecast.Method.init(rawValue:)) {
        case .holtWinters: return t(.forecastMethodHoltWinters, ["months": String(months)])
        case .holt: return t(.forecastMethodHolt, ["months": String(months)])
        case .mean: return t(.forecastMethodMean, ["months": String(months)])
        case nil: return t(.forecastNoHistory)
        }
    }

    private func percent(_ value: Double?) -> String { value.map { page.t.percent($0, fractionDigits: 1) } ?? page.t(.analyticsNa) }

    private func accuracy() -> Node<HTML.BodyContext> {
        let t = page.t
        let backtested = report.months.map(\.row).prefix(query.past).filter { $0.history != nil }
        return .group(
            .h2(.text(t(.forecastAccuracy))),
            .p(.text(t(.forecastMethod) + ": " + methodText(report.method, months: report.historyMonths))),
            .if(report.accuracy.backtestMonths > 0, .group(
                .p(.class("muted"), .text(t(.forecastAccuracyAbout, ["count": String(report.accuracy.backtestMonths)]))),
                .table(.class("list"),
                       .thead(.tr(.th(.text(t(.forecastMonth))), .th(.class("number"), .text(t(.forecastHistory))),
                                  .th(.class("number"), .text(t(.forecastActual))), .th(.class("number"), .text(t(.forecastError))))),
                       .tbody(.forEach(backtested) { row in
                           let actual = row.actual ?? 0, forecast = row.history ?? 0
                           return .tr(.td(.text(row.month.label)), .td(.class("number"), .text(money(forecast))),
                                      .td(.class("number"), .text(money(actual))),
                                      .td(.class("number"), .text(actual == 0 ? t(.analyticsNa) : t.percent(Double(abs(actual - forecast)) / Double(actual),
                                                                                                              fractionDigits: 1))))
                       }),
                       .tfoot(.tr(.th(.text("MAPE / WAPE")), .td(), .td(),
                                  .td(.class("number"), .text(percent(report.accuracy.mape) + " / " + percent(report.accuracy.wape))))))
            ))
        )
    }

    /// The recorded forecasts' error, when the reader sees the whole scope (snapshots are numbers over all of it).
    private func recorded() -> Node<HTML.BodyContext> {
        let t = page.t
        guard let recorded = report.recordedAccuracy else { return .empty }
        let lines: [(UIKey, ForecastReport.Accuracy)] = [(.forecastWeighted, recorded.weighted), (.forecastCommit, recorded.commit),
                                                         (.forecastHistory, recorded.history)]
        guard lines.contains(where: { $0.1.backtestMonths > 0 }) else {
            return .group(.h3(.text(t(.forecastRecorded))), .p(.class("muted"), .text(t(.forecastRecordedNone))))
        }
        return .group(
            .h3(.text(t(.forecastRecorded))),
            .p(.class("muted"), .text(t(.forecastRecordedAbout))),
            .table(.class("list"),
                   .thead(.tr(.th(), .th(.class("number"), .text("MAPE")), .th(.class("number"), .text("WAPE")),
                              .th(.class("number"), .text(t(.forecastMonths))))),
                   .tbody(.forEach(lines) { key, accuracy in
                       .tr(.td(.text(t(key))), .td(.class("number"), .text(percent(accuracy.mape))), .td(.class("number"), .text(percent(accuracy.wape))),
                           .td(.class("number"), .text(String(accuracy.backtestMonths))))
                   }))
        )
    }

    /// The weekly snapshots of the current month's forecast, oldest first.
    private func moved() -> Node<HTML.BodyContext> {
        let t = page.t
        guard let month = report.months.map(\.row.month).dropFirst(query.past).first else { return .empty }
        let weeks = report.snapshots.filter { $0.month == month.label }
        guard !weeks.isEmpty else { return .empty }
        return .group(
            .h3(.text(t(.forecastMoved) + " · " + month.label)),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.forecastTakenOn))), .th(.class("number"), .text(t(.forecastWeighted))),
                              .th(.class("number"), .text(t(.forecastCommit))), .th(.class("number"), .text(t(.forecastAdjusted))),
                              .th(.class("number"), .text(t(.forecastBestCase))), .th(.class("number"), .text(t(.forecastHistory))))),
                   .tbody(.forEach(weeks) { week in
                       .tr(.td(.text(week.takenOn)), .td(.class("number"), .text(money(week.weighted))), .td(.class("number"), .text(money(week.commit))),
                           .td(.class("number"), .text(money(week.adjusted))), .td(.class("number"), .text(money(week.bestCase))),
                           .td(.class("number"), .text(money(week.history))))
                   }))
        )
    }

    private func expectedOrders() -> Node<HTML.BodyContext> {
        let t = page.t
        guard let expected else { return .empty }
        let statuses: [(RunRate.Status, UIKey)] = [(.late, .forecastStatusLate), (.due, .forecastStatusDue), (.later, .forecastStatusLater),
                                                    (.atRisk, .forecastStatusAtRisk)]
        let labels = Dictionary(uniqueKeysWithValues: statuses.map { ($0.0.rawValue, t($0.1)) })
        let csv = "/api/v1/forecast/accounts?" + ListQuery.encode([("scope", query.scope.description), ("format", "csv")])
        return .group(
            .h2(.text(t(.forecastExpectedOrders))),
            .p(.class("muted"), .text(t(.forecastExpectedAbout))),
            .p(.text(statuses.map { "\(t($0.1)): \(expected.counts[$0.0.rawValue] ?? 0)" }.joined(separator: " · "))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.forecastRepeatBusiness))), .forEach(expected.months) { .th(.class("number"), .text($0.month)) })),
                   .tbody(.tr(.td(), .forEach(expected.months) { .td(.class("number"), .text(money($0.expected))) }))),
            .if(!expected.items.isEmpty, .table(.class("list"),
                   .thead(.tr(.th(.text(t(.dealAccount))), .th(.text(t(.forecastExpectedNext))), .th(.class("number"), .text(t(.forecastExpectedAmount))),
                              .th(.text(t(.forecastLastOrder))), .th(.class("number"), .text(t(.forecastRhythm))), .th())),
                   .tbody(.forEach(expected.items) { item in
                       .tr(.td(.a(.href(SiteURL.account(id: item.accountId).path), .text(item.name))), .td(.text(item.expectedNext)),
                           .td(.class("number"), .text(money(item.expectedAmount))), .td(.text(item.lastOrder)),
                           .td(.class("number"), .text(t.decimal(item.medianGapDays))),
                           .td(.class(item.status == RunRate.Status.late.rawValue || item.status == RunRate.Status.atRisk.rawValue ? "gap" : "muted"),
                               .text(labels[item.status] ?? item.status)))
                   }))),
            .p(.a(.href(csv), .attribute(named: "download", value: ""), .text(t(.forecastAllCustomersCsv))))
        )
    }

    private func groups() -> Node<HTML.BodyContext> {
        let t = page.t
        guard let groups = report.groups, !groups.isEmpty else { return .empty }
        let ahead = report.months.suffix(query.horizon).map(\.row.month.label)
        return .group(
            .h2(.text(t(.forecastGroups))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.forecastGroup))), .th(.text(t(.forecastMethod))), .th(.class("number"), .text("MAPE")),
                              .forEach(ahead) { .th(.class("number"), .text($0)) })),
                   .tbody(.forEach(groups) { group in groupRow(group) }))
        )
    }

    private func groupRow(_ group: ForecastReport.Table) -> Node<HTML.TableContext> {
        let t = page.t
        let name = switch group.key {
        case "other": t(.analyticsOther)
        case "none": t(.analyticsNone)
        default: group.name ?? ""
        }
        return .tr(.td(.text(name)), .td(.class("muted"), .text(methodText(group.method, months: group.historyMonths))),
                   .td(.class("number"), .text(percent(group.accuracy.mape))),
                   .forEach(group.months.suffix(query.horizon).map(\.row)) { row in .td(.class("number"), .text(money(row.history))) })
    }

    private func stages() -> Node<HTML.BodyContext> {
        let t = page.t
        return .group(
            .unwrap(report.undated) { undated in
                .p(.class("muted"), .text(t(.forecastUndated, ["deals": t.count(.countDeals, undated.deals), "amount": money(undated.open)])))
            },
            .h2(.text(t(.forecastStages))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.forecastStage))), .th(.class("number"), .text(t(.forecastProbability))), .th())),
                   .tbody(.forEach(report.stages) { stage in
                       .tr(.td(.text(stage.pipeline + " · " + stage.name)), .td(.class("number"), .text(t.percent(stage.probability, fractionDigits: 1))),
                           .td(.class("muted"), .text(stage.source == "history"
                               ? t(.forecastSourceHistory, ["won": String(stage.won), "closed": String(stage.closed)])
                               : t(.forecastSourceConfigured, ["closed": String(stage.closed)]))))
                   }))
        )
    }
}
