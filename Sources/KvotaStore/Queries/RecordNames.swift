import Foundation
import KvotaCore
import SQLKit

extension Database {
    /// The names of the accounts and contacts a record the caller has already read points at. A rep's deal may sit
    /// on a colleague's account; the deal page still says whose it is, and shows nothing else of that account.
    public func names(accounts: Set<Account.ID>, contacts: Set<Contact.ID> = []) async throws
        -> (accounts: [Account.ID: String], contacts: [Contact.ID: String]) {
        try await read { sql in
            var accountNames: [Account.ID: String] = [:], contactNames: [Contact.ID: String] = [:]
            for (table, ids) in [("accounts", accounts.map(\.rawValue)), ("contacts", contacts.map(\.rawValue))] where !ids.isEmpty {
                for start in stride(from: 0, to: ids.count, by: 500) {
                    let binds = SQLList(ids[start..<min(start + 500, ids.count)].map { SQLBind($0) as any SQLExpression })
                    for row in try await sql.raw("SELECT id, name FROM \(ident: table) WHERE id IN (\(binds))").all() {
                        let id = try row.decode(column: "id", as: Int64.self), name = try row.decode(column: "name", as: String.self)
                        if table == "accounts" { accountNames[Account.ID(id)] = name } else { contactNames[Contact.ID(id)] = name }
                    }
                }
            }
            return (accountNames, contactNames)
        }
    }

    /// The titles of deals, for lists that link to them (activities).
    public func dealTitles(_ ids: Set<Deal.ID>) async throws -> [Deal.ID: String] {
        guard !ids.isEmpty else { return [:] }
        return try await read { sql in
            var titles: [Deal.ID: String] = [:]
            let all = ids.map(\.rawValue).sorted()
            for start in stride(from: 0, to: all.count, by: 500) {
                let binds = SQLList(all[start..<min(start + 500, all.count)].map { SQLBind($0) as any SQLExpression })
                for row in try await sql.raw("SELECT id, title FROM deals WHERE id IN (\(binds))").all() {
                    titles[Deal.ID(try row.decode(column: "id", as: Int64.self))] = try row.decode(column: "title", as: String.self)
                }
            }
            return titles
        }
    }

    /// SKU and name of products, for order lines.
    public func productNames(_ ids: Set<Product.ID>) async throws -> [Product.ID: (sku: String, name: String)] {
        guard !ids.isEmpty else { return [:] }
        return try await read { sql in
            var names: [Product.ID: (sku: String, name: String)] = [:]
            let all = ids.map(\.rawValue).sorted()
            for start in stride(from: 0, to: all.count, by: 500) {
                let binds = SQLList(all[start..<min(start + 500, all.count)].map { SQLBind($0) as any SQLExpression })
                for row in try await sql.raw("SELECT id, sku, name FROM products WHERE id IN (\(binds))").all() {
                    names[Product.ID(try row.decode(column: "id", as: Int64.self))] =
                        (try row.decode(column: "sku", as: String.self), try row.decode(column: "name", as: String.self))
                }
            }
            return names
        }
    }
}
