import KvotaCore
import KvotaStore
import Plot

/// The lists of the work of selling: deals and activities.
enum SalesLists {
    static func deals(_ api: RecordRoutes<Deal, DealsAPI.DealDTO, DealFilter>) -> ListScreen<Deal, DealsAPI.DealDTO, DealFilter> {
        ListScreen(
            list: .deals, api: api, needs: [.pipelines],
            linked: { deal in ([deal.accountID], []) },
            controls: { lookups, page in
                let t = page.t
                var controls = [RecordListPage.Control(name: "q", label: t(.listSearch), kind: .search)]
                if let actor = page.actor, let owners = lookups.ownerOptions(actor, .deal) {
                    controls.append(.init(name: "owner", label: t(.colOwner), kind: .select(owners)))
                }
                if lookups.pipelines.count > 1 {
                    controls.append(.init(name: "pipeline", label: t(.boardPipeline),
                                          kind: .select(lookups.pipelines.map { (String($0.0.id.rawValue), $0.0.name) })))
                }
                let several = lookups.pipelines.count > 1
                controls.append(.init(name: "stage", label: t(.colStage), kind: .select(lookups.pipelines.flatMap { pipeline, stages in
                    stages.map { (String($0.id.rawValue), several ? "\(pipeline.name): \($0.name)" : $0.name) }
                })))
                controls.append(.init(name: "status", label: t(.colStatus), kind: .select(StageOutcome.allCases.map { ($0.rawValue, t($0.label)) })))
                controls.append(.init(name: "createdFrom", label: t(.listCreatedFrom), kind: .date))
                controls.append(.init(name: "createdTo", label: t(.listCreatedTo), kind: .date))
                return controls
            },
            columns: { t in
                [.init(label: t(.colTitle), sort: "title"), .init(label: t(.colAccount)), .init(label: t(.colStage)),
                 .init(label: t(.colAmount), sort: "amount", numeric: true), .init(label: t(.dealExpectedClose), sort: "close"),
                 .init(label: t(.colOwner)), .date(t(.colUpdated), sort: "updated"), .init(label: t(.scoreLabel), sort: "score", numeric: true)]
            },
            cells: { deal, lookups, t in
                [.a(.href(SiteURL.deal(id: deal.id.rawValue).path), .text(deal.title)), lookups.account(deal.accountID),
                 .text(deal.status == .open ? lookups.stages[deal.stageID] ?? "" : t(deal.status.label)),
                 .text(t.money(deal.amount, showMinorUnits: false)), .text(deal.expectedClose.map(t.date) ?? ""),
                 lookups.user(deal.ownerID), .text(t.date(LocalDate(deal.updatedAt, in: t.timeZone))),
                 .text(deal.score.map { String($0.value) } ?? "")]
            })
    }

    static func leads(_ api: RecordRoutes<Lead, LeadsAPI.LeadDTO, LeadFilter>) -> ListScreen<Lead, LeadsAPI.LeadDTO, LeadFilter> {
        ListScreen(
            list: .leads, api: api, needs: [.leadSources],
            linked: { lead in (lead.accountID.map { [$0] } ?? [], []) },
            controls: { lookups, page in
                let t = page.t
                var controls = [RecordListPage.Control(name: "q", label: t(.listSearch), kind: .search),
                                RecordListPage.Control(name: "status", label: t(.colStatus), kind: .select(LeadStatus.allCases.map { ($0.rawValue, t($0.label)) })),
                                RecordListPage.Control(name: "source", label: t(.colSource), kind: .select(LeadSource.options(t, own: lookups.leadSources)))]
                if let actor = page.actor, let owners = lookups.ownerOptions(actor, .lead) {
                    controls.append(.init(name: "owner", label: t(.colOwner), kind: .select(owners)))
                }
                return controls
            },
            columns: { t in
                [.date(t(.colReceived), sort: "received"), .init(label: t(.colLead)), .init(label: t(.leadCompany)), .init(label: t(.colSource)),
                 .init(label: t(.colStatus)), .init(label: t(.colOwner)), .init(label: t(.leadFirstResponse)),
                 .init(label: t(.scoreLabel), sort: "score", numeric: true)]
            },
            cells: { lead, lookups, t in
                [.text(t.dateTime(lead.receivedAt)), .a(.href(SiteURL.lead(id: lead.id.rawValue).path), .text(lead.name)),
                 lead.accountID == nil ? .text(lead.companyName ?? "") : lookups.account(lead.accountID), .text(lead.source.label(t, own: lookups.leadSources)),
                 .text(t(lead.status.label)), lookups.user(lead.ownerID),
                 .text(lead.firstResponseAt.map { t.duration(Int($0.timeIntervalSince(lead.receivedAt))) } ?? ""),
                 .text(lead.score.map { String($0.value) } ?? "")]
            })
    }

    static func activities(_ api: RecordRoutes<Activity, ActivitiesAPI.ActivityDTO, ActivityFilter>)
        -> ListScreen<Activity, ActivitiesAPI.ActivityDTO, ActivityFilter> {
        ListScreen(
            list: .activities, api: api,
            linked: { activity in (activity.accountID.map { [$0] } ?? [], activity.dealID.map { [$0] } ?? []) },
            controls: { lookups, page in
                let t = page.t
                var controls = [RecordListPage.Control(name: "kind", label: t(.colKind),
                                                 kind: .select(ActivityKind.allCases.map { ($0.rawValue, t($0.label)) })),
                                RecordListPage.Control(name: "done", label: t(.colDone), kind: .select([("true", t(.listYes)), ("false", t(.listNo))]))]
                if let actor = page.actor, let owners = lookups.ownerOptions(actor, .activity) {
                    controls.append(.init(name: "owner", label: t(.colOwner), kind: .select(owners)))
                }
                return controls
            },
            columns: { t in
                [.date(t(.colWhen), sort: "occurred"), .init(label: t(.colKind)), .init(label: t(.colSubject)),
                 .init(label: t(.colAccount)), .init(label: t(.colDeal)), .init(label: t(.colOwner)), .init(label: t(.colDue)),
                 .init(label: t(.colDone))]
            },
            cells: { activity, lookups, t in
                [.text(t.dateTime(activity.occurredAt)), .text(t(activity.kind.label)), .text(activity.subject),
                 lookups.account(activity.accountID), lookups.deal(activity.dealID), lookups.user(activity.ownerID),
                 .text(activity.dueAt.map(t.dateTime) ?? ""), .text(activity.doneAt.map(t.dateTime) ?? "")]
            })
    }
}

/// The lists of what was sold and what there is to sell: orders and products.
enum CatalogueLists {
    static func orders(_ api: RecordRoutes<Order, OrdersAPI.OrderDTO, OrderFilter>) -> ListScreen<Order, OrdersAPI.OrderDTO, OrderFilter> {
        ListScreen(
            list: .orders, api: api, needs: [.regions, .channels, .categories, .teams],
            linked: { order in ([order.accountID], []) },
            controls: { lookups, page in
                let t = page.t
                var controls = [RecordListPage.Control(name: "status", label: t(.colStatus),
                                                 kind: .select(OrderStatus.allCases.map { ($0.rawValue, t($0.label)) }))]
                if let actor = page.actor, let owners = lookups.ownerOptions(actor, .order) {
                    controls.append(.init(name: "owner", label: t(.colOwner), kind: .select(owners)))
                    // Teams for those who see every team's orders, as analytics offers them.
                    if AccessPolicy.scope(actor, .list, .order) == .all, !lookups.teams.isEmpty {
                        controls.append(.init(name: "team", label: t(.analyticsDimTeam),
                                              kind: .select(lookups.teams.map { (String($0.id.rawValue), $0.name) })))
                    }
                }
                controls.append(.init(name: "channel", label: t(.colChannel),
                                      kind: .select(lookups.channels.map { (String($0.id.rawValue), $0.name) })))
                controls.append(.init(name: "region", label: t(.colRegion), kind: .select(CustomerLists.regionOptions(lookups.regions))))
                controls.append(.init(name: "category", label: t(.colCategory),
                                      kind: .select(lookups.categories.map { (String($0.id.rawValue), $0.name) })))
                controls.append(.init(name: "from", label: t(.listOrderedFrom), kind: .date))
                controls.append(.init(name: "to", label: t(.listOrderedTo), kind: .date))
                controls.append(.init(name: "sales", label: t(.listSalesOnly), kind: .select([("true", t(.listYes)), ("false", t(.listNo))])))
                return controls
            },
            columns: { t in
                [.init(label: t(.colNumber)), .date(t(.colDate), sort: "ordered"), .init(label: t(.colAccount)),
                 .init(label: t(.colStatus)), .init(label: t(.colTotal), numeric: true), .init(label: t(.colOwner)),
                 .init(label: t(.colChannel))]
            },
            cells: { order, lookups, t in
                [.a(.href(SiteURL.order(id: order.id.rawValue).path), .text(order.number)), .text(t.date(order.orderedOn)), lookups.account(order.accountID), .text(t(order.status.label)),
                 .text(t.money(Money(minorUnits: order.totalMinor, currency: order.currency))), lookups.user(order.ownerID),
                 .text(order.channelID.flatMap { id in lookups.channels.first { $0.id == id }?.name } ?? "")]
            })
    }

    static func products(_ api: RecordRoutes<Product, ProductsAPI.ProductDTO, ProductFilter>)
        -> ListScreen<Product, ProductsAPI.ProductDTO, ProductFilter> {
        ListScreen(
            list: .products, api: api, needs: [.categories],
            controls: { lookups, page in
                let t = page.t
                return [.init(name: "q", label: t(.listSearch), kind: .search),
                        .init(name: "category", label: t(.colCategory), kind: .select(lookups.categories.map { (String($0.id.rawValue), $0.name) })),
                        .init(name: "active", label: t(.colActive), kind: .select([("true", t(.listYes)), ("false", t(.listNo))]))]
            },
            columns: { t in
                [.init(label: t(.colSku), sort: "sku"), .init(label: t(.colName), sort: "name"), .init(label: t(.colCategory)),
                 .init(label: t(.colUnit)), .init(label: t(.colPrice), sort: "price", numeric: true), .init(label: t(.colActive))]
            },
            cells: { product, lookups, t in
                [.text(product.sku), .text(product.name), .text(lookups.categories.first { $0.id == product.categoryID }?.name ?? ""),
                 .text(product.unit), .text(t.money(product.price)), .text(t(product.active ? .listYes : .listNo))]
            })
    }
}
