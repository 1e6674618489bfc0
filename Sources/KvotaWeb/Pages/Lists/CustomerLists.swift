import KvotaCore
import KvotaStore
import Plot

/// The customer lists: accounts and the people at them.
enum CustomerLists {
    static func accounts(_ api: RecordRoutes<Account, AccountsAPI.AccountDTO, AccountFilter>) -> ListScreen<Account, AccountsAPI.AccountDTO, AccountFilter> {
        ListScreen(
            list: .accounts, api: api, needs: [.regions, .channels],
            controls: { lookups, page in
                let t = page.t
                var controls = [RecordListPage.Control(name: "q", label: t(.accountsSearch), kind: .search)]
                if let actor = page.actor, let owners = lookups.ownerOptions(actor, .account) {
                    controls.append(.init(name: "owner", label: t(.colOwner), kind: .select(owners)))
                }
                controls.append(.init(name: "region", label: t(.colRegion), kind: .select(regionOptions(lookups.regions))))
                controls.append(.init(name: "channel", label: t(.colChannel),
                                      kind: .select(lookups.channels.map { (String($0.id.rawValue), $0.name) })))
                controls.append(.init(name: "tag", label: t(.colTag), kind: .search))
                return controls
            },
            columns: { t in
                [.init(label: t(.accountName), sort: "name"), .init(label: t(.accountLegalId)), .init(label: t(.accountSegment)),
                 .init(label: t(.colRegion)), .init(label: t(.colOwner)), .date(t(.colCreated), sort: "created")]
            },
            cells: { account, lookups, t in
                [.a(.href(SiteURL.account(id: account.id.rawValue).path), .text(account.name)), .text(account.legalID ?? ""),
                 .text(account.segment ?? ""), .text(account.regionID.flatMap { id in lookups.regions.first { $0.id == id }?.name } ?? ""),
                 lookups.user(account.ownerID), .text(t.date(LocalDate(account.createdAt, in: t.timeZone)))]
            },
            create: { actor, t in
                AccessPolicy.scope(actor, .create, .account) == .nothing ? nil : (t(.accountsNew), .accountNew)
            })
    }

    static func contacts(_ api: RecordRoutes<Contact, ContactsAPI.ContactDTO, ContactFilter>) -> ListScreen<Contact, ContactsAPI.ContactDTO, ContactFilter> {
        ListScreen(
            list: .contacts, api: api,
            linked: { contact in (contact.accountID.map { [$0] } ?? [], []) },
            controls: { _, page in [.init(name: "q", label: page.t(.listSearch), kind: .search)] },
            columns: { t in
                [.init(label: t(.colName), sort: "name"), .init(label: t(.colPosition)), .init(label: t(.colAccount)),
                 .init(label: t(.colPhone)), .init(label: t(.colEmail)), .date(t(.colCreated), sort: "created")]
            },
            cells: { contact, lookups, t in
                [.a(.href(SiteURL.contact(id: contact.id.rawValue).path), .text(contact.name)), .text(contact.position ?? ""), lookups.account(contact.accountID),
                 .unwrap(contact.phone) { .a(.href("tel:\($0)"), .text($0)) }, .unwrap(contact.email) { .a(.href("mailto:\($0)"), .text($0)) },
                 .text(t.date(LocalDate(contact.createdAt, in: t.timeZone)))]
            })
    }

    /// Regions as a flat list in tree order, each under its parent with its depth shown by indentation.
    static func regionOptions(_ regions: [Region]) -> [(value: String, label: String)] {
        let parents = Dictionary(uniqueKeysWithValues: regions.map { ($0.id, $0.parentID) })
        func depth(_ id: Region.ID) -> Int {
            var depth = 0, current = parents[id] ?? nil
            while let parent = current, depth < 10 { depth += 1; current = parents[parent] ?? nil }
            return depth
        }
        return regions.map { (String($0.id.rawValue), String(repeating: "\u{2003}", count: depth($0.id)) + $0.name) }
    }
}
