/// What can go wrong below the domain: settings, connections, migrations, stale writes.
/// Messages are written for the person running Kvota: one line, naming the setting or record involved.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case badSetting(setting: String, reason: String)
    case cannotOpen(database: String, reason: String)
    case migrationFailed(number: Int, name: String, reason: String)
    /// The database was migrated by a newer Kvota than this one.
    case schemaTooNew(found: Int, known: Int)
    case notEmpty(String)
    case query(String)

    public var description: String {
        switch self {
        case .badSetting(let setting, let reason): "\(setting): \(reason)"
        case .cannotOpen(let database, let reason): "cannot open the database \(database): \(reason)"
        case .migrationFailed(let number, let name, let reason): "migration \(number) (\(name)) failed: \(reason)"
        case .schemaTooNew(let found, let known):
            "the database has schema version \(found) but this kvota knows only up to \(known); upgrade kvota"
        case .notEmpty(let detail): detail
        case .query(let detail): detail
        }
    }
}
