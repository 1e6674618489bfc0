import Foundation
import KvotaCore

/// How each kind of demo record is stored: the table, its columns and the stored form of each field.
/// `zone` cuts the `*_on` day columns that sit beside instants.
struct DemoRows {
    let zone: TimeZone

    /// The search terms of the accounts, contacts, leads or deals in `batch`, as the stores write them one by one.
    func searchTerms(for batch: DemoBatch) -> BulkTable? {
        let entries: [(kind: RecordKind, id: Int64, terms: Set<String>)]
        switch batch {
        case .accounts(let accounts):
            entries = accounts.map { (.account, $0.id.rawValue, SearchTerms.account(name: $0.name, legalID: $0.legalID)) }
        case .contacts(let contacts):
            entries = contacts.map { (.contact, $0.id.rawValue, SearchTerms.contact(name: $0.name, channels: $0.channels)) }
        case .leads(let leads):
            entries = leads.map {
                (.lead, $0.id.rawValue, SearchTerms.person(name: $0.name, company: $0.companyName, phone: $0.phone, email: $0.email))
            }
        case .deals(let deals):
            entries = deals.map { (.deal, $0.id.rawValue, SearchTerms.deal(title: $0.title)) }
        default:
            return nil
        }
        return BulkTable(name: "search_terms", columns: ["kind", "term", "record_id"], rows: entries.flatMap { entry in
            entry.terms.sorted().map { [.text(entry.kind.rawValue), .text($0), .int(entry.id)] }
        })
    }

    /// The phones and emails of the contacts in `batch`, as `contact_channels` rows.
    func contactChannels(for batch: DemoBatch) -> BulkTable? {
        guard case .contacts(let contacts) = batch else { return nil }
        return BulkTable(name: "contact_channels", columns: ["contact_id", "position", "kind", "value"], rows: contacts.flatMap { contact in
            contact.channels.enumerated().map { [.int(contact.id.rawValue), .int(Int64($0.offset)), .text($0.element.kind.rawValue),
                                                 .text($0.element.value)] }
        })
    }

    func table(for batch: DemoBatch) -> BulkTable? {
        switch batch {
        case .teams(let teams):
            BulkTable(name: "teams", columns: ["id", "name", "kind", "head_id"], rows: teams.map {
                [.int($0.id.rawValue), .text($0.name), .text($0.kind.rawValue), ($0.headID?.rawValue).bulk]
            })
        case .teamHeads:
            nil
        case .users(let users):
            BulkTable(name: "users", columns: ["id", "name", "email", "email_key", "role", "team_id", "manager_id",
                                              "language", "phone_extension", "active", "created_at"], rows: users.map {
                [.int($0.id.rawValue), .text($0.name), .text($0.email), .text($0.email.lowercased()), .text($0.role.rawValue),
                 ($0.teamID?.rawValue).bulk, ($0.managerID?.rawValue).bulk, .text($0.language.rawValue),
                 $0.phoneExtension.bulk, .bool($0.active), .int($0.createdAt.epochMilliseconds)]
            })
        case .regions(let regions):
            BulkTable(name: "regions", columns: ["id", "parent_id", "code", "name"], rows: regions.map {
                [.int($0.id.rawValue), ($0.parentID?.rawValue).bulk, .text($0.code), .text($0.name)]
            })
        case .channels(let channels):
            BulkTable(name: "channels", columns: ["id", "code", "name", "kind"], rows: channels.map {
                [.int($0.id.rawValue), .text($0.code), .text($0.name), .text($0.kind.rawValue)]
            })
        case .categories(let categories):
            BulkTable(name: "product_categories", columns: ["id", "parent_id", "name"], rows: categories.map {
                [.int($0.id.rawValue), ($0.parentID?.rawValue).bulk, .text($0.name)]
            })
        case .products(let products):
            BulkTable(name: "products", columns: ["id", "sku", "name", "category_id", "unit", "price_minor", "cost_minor",
                                                 "currency", "active"], rows: products.map {
                [.int($0.id.rawValue), .text($0.sku), .text($0.name), .int($0.categoryID.rawValue), .text($0.unit),
                 .int($0.price.minorUnits), .int($0.cost.minorUnits), .text($0.price.currency.code), .bool($0.active)]
            })
        case .prices(let prices):
            BulkTable(name: "product_prices", columns: ["product_id", "valid_from", "price_minor", "cost_minor", "currency"],
                      rows: prices.map {
                [.int($0.productID.rawValue), .int(Int64($0.validFrom.key)), .int($0.price.minorUnits),
                 .int($0.cost.minorUnits), .text($0.price.currency.code)]
            })
        case .exchangeRates(let rates):
            BulkTable(name: "exchange_rates", columns: ["currency", "valid_from", "base_micros"], rows: rates.map {
                [.text($0.currency.code), .int(Int64($0.validFrom.key)), .int($0.baseMicros)]
            })
        case .accounts(let accounts):
            BulkTable(name: "accounts", columns: ["id", "name", "legal_id", "region_id", "channel_id", "owner_id", "segment",
                                                 "created_at", "updated_at"], rows: accounts.map {
                [.int($0.id.rawValue), .text($0.name), $0.legalID.bulk, ($0.regionID?.rawValue).bulk,
                 ($0.channelID?.rawValue).bulk, ($0.ownerID?.rawValue).bulk, $0.segment.bulk,
                 .int($0.createdAt.epochMilliseconds), .int($0.createdAt.epochMilliseconds)]
            })
        case .contacts(let contacts):
            BulkTable(name: "contacts", columns: ["id", "account_id", "name", "position", "phone", "email", "created_at",
                                                 "updated_at"], rows: contacts.map {
                [.int($0.id.rawValue), ($0.accountID?.rawValue).bulk, .text($0.name), $0.position.bulk, $0.phone.bulk,
                 $0.email.bulk, .int($0.createdAt.epochMilliseconds), .int($0.createdAt.epochMilliseconds)]
            })
        case .pipelines(let pipelines):
            BulkTable(name: "pipelines", columns: ["id", "name"], rows: pipelines.map { [.int($0.id.rawValue), .text($0.name)] })
        case .stages(let stages):
            BulkTable(name: "stages", columns: ["id", "pipeline_id", "position", "name", "probability", "outcome", "required_fields",
                                                "script", "checklist", "forecast_category"],
                      rows: stages.map {
                [.int($0.id.rawValue), .int($0.pipelineID.rawValue), .int(Int64($0.position)), .text($0.name),
                 .int(Int64($0.probability)), .text($0.outcome.rawValue),
                 .text(Database.json($0.requiredFields.map(\.rawValue).sorted())), $0.script.bulk, .text(Database.json($0.checklist)),
                 .text($0.forecastCategory.rawValue)]
            })
        case .leads(let leads):
            BulkTable(name: "leads", columns: ["id", "source", "received_at", "received_on", "first_response_at", "status",
                                              "disqualify_reason", "owner_id", "name", "company_name", "phone", "email",
                                              "message", "utm_source", "utm_campaign", "account_id", "contact_id"],
                      rows: leads.map {
                [.int($0.id.rawValue), .text($0.source.rawValue), .int($0.receivedAt.epochMilliseconds), day($0.receivedAt),
                 ($0.firstResponseAt?.epochMilliseconds).bulk, .text($0.status.rawValue), $0.disqualifyReason.bulk,
                 ($0.ownerID?.rawValue).bulk, .text($0.name), $0.companyName.bulk, $0.phone.bulk, $0.email.bulk,
                 $0.message.bulk, $0.utmSource.bulk, $0.utmCampaign.bulk, ($0.accountID?.rawValue).bulk,
                 ($0.contactID?.rawValue).bulk]
            })
        case .deals(let deals):
            BulkTable(name: "deals", columns: ["id", "title", "account_id", "contact_id", "pipeline_id", "stage_id",
                                              "amount_minor", "currency", "expected_close_on", "forecast_category",
                                              "owner_id", "status", "created_at", "closed_at", "closed_on", "loss_reason",
                                              "lead_id", "updated_at"], rows: deals.map {
                [.int($0.id.rawValue), .text($0.title), .int($0.accountID.rawValue), ($0.contactID?.rawValue).bulk,
                 .int($0.pipelineID.rawValue), .int($0.stageID.rawValue), .int($0.amount.minorUnits),
                 .text($0.amount.currency.code), ($0.expectedClose?.key).bulk, .text($0.forecastCategory.rawValue),
                 .int($0.ownerID.rawValue), .text($0.status.rawValue), .int($0.createdAt.epochMilliseconds),
                 ($0.closedAt?.epochMilliseconds).bulk, $0.closedAt.map { day($0) } ?? .null, $0.lossReason.bulk,
                 ($0.leadID?.rawValue).bulk, .int(($0.closedAt ?? $0.createdAt).epochMilliseconds)]
            })
        case .dealLines(let lines):
            BulkTable(name: "deal_lines", columns: ["id", "deal_id", "product_id", "quantity_milli", "unit_price_minor",
                                                   "discount_minor"], rows: lines.map {
                [.int($0.id.rawValue), .int($0.dealID.rawValue), .int($0.productID.rawValue), .int($0.quantityMilli),
                 .int($0.unitPrice.minorUnits), .int($0.discountMinor)]
            })
        case .stageChanges(let changes):
            BulkTable(name: "deal_stage_history", columns: ["id", "deal_id", "stage_id", "entered_at", "user_id"],
                      rows: changes.map {
                [.int($0.id.rawValue), .int($0.dealID.rawValue), .int($0.stageID.rawValue),
                 .int($0.enteredAt.epochMilliseconds), ($0.userID?.rawValue).bulk]
            })
        case .orders(let orders):
            BulkTable(name: "orders", columns: ["id", "number", "account_id", "deal_id", "owner_id", "ordered_on", "status",
                                               "currency", "total_minor", "total_base_minor", "created_at", "channel_id", "region_id"],
                      rows: orders.map {
                [.int($0.id.rawValue), .text($0.number), .int($0.accountID.rawValue), ($0.dealID?.rawValue).bulk,
                 ($0.ownerID?.rawValue).bulk, .int(Int64($0.orderedOn.key)), .text($0.status.rawValue),
                 .text($0.currency.code), .int($0.totalMinor), .int($0.totalBaseMinor), .int($0.createdAt.epochMilliseconds),
                 ($0.channelID?.rawValue).bulk, ($0.regionID?.rawValue).bulk]
            })
        case .orderLines(let lines):
            BulkTable(name: "order_lines", columns: ["id", "order_id", "product_id", "quantity_milli", "unit_price_minor",
                                                    "discount_minor", "net_minor", "net_base_minor", "cost_base_minor"],
                      rows: lines.map {
                [.int($0.id.rawValue), .int($0.orderID.rawValue), .int($0.productID.rawValue), .int($0.quantityMilli),
                 .int($0.unitPriceMinor), .int($0.discountMinor), .int($0.netMinor), .int($0.netBaseMinor),
                 .int($0.costBaseMinor)]
            })
        case .activities(let activities):
            BulkTable(name: "activities", columns: ["id", "kind", "owner_id", "account_id", "contact_id", "deal_id", "lead_id",
                                                   "subject", "occurred_at", "occurred_on", "due_at", "done_at",
                                                   "call_direction", "call_disposition", "external_number", "talk_seconds"],
                      rows: activities.map {
                [.int($0.id.rawValue), .text($0.kind.rawValue), .int($0.ownerID.rawValue),
                 ($0.accountID?.rawValue).bulk, ($0.contactID?.rawValue).bulk,
                 ($0.dealID?.rawValue).bulk, ($0.leadID?.rawValue).bulk, .text($0.subject),
                 .int($0.occurredAt.epochMilliseconds), day($0.occurredAt), ($0.dueAt?.epochMilliseconds).bulk,
                 ($0.doneAt?.epochMilliseconds).bulk, ($0.call?.direction.rawValue).bulk,
                 ($0.call?.disposition.rawValue).bulk, ($0.call?.externalNumber).bulk,
                 ($0.call?.talkSeconds).bulk]
            })
        }
    }

    /// The company-calendar day of an instant, as stored in `*_on` columns.
    private func day(_ instant: Date) -> BulkValue {
        let local = Int(instant.timeIntervalSince1970) + zone.secondsFromGMT(for: instant)
        return .int(Int64(LocalDate(dayNumber: Int((Double(local) / 86_400).rounded(.down))).key))
    }
}

private extension String {
    var bulk: BulkValue { .text(self) }
}
