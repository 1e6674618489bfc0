import Foundation
import Logging

/// The SQLite file holds the company's customers, prices and pay, so only the user Kvota runs as may read it (issue
/// 13; docs/security.md, "The database file"). SQLite creates the file, its write-ahead log and its shared memory
/// with the process's umask, usually readable by everyone on the machine. Kvota sets all three to 0600 when it opens
/// the database, rather than refusing to start: a server that stops after someone restored the file with `cp` helps
/// no one, and no other program needs to read it. A file that had data and was readable by others is named in a
/// warning; one whose mode Kvota cannot change (another user's) is refused. Backups, of either engine, get the same.
enum PrivateFileMode {
    static let privateMode: Int16 = 0o600

    /// Warns through `logger` of a file that had data.
    static func keepPrivate(_ path: String, warning logger: Logger?) throws {
        for file in [path, path + "-wal", path + "-shm"] {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                  let mode = (attributes[.posixPermissions] as? NSNumber)?.int16Value, mode & 0o077 != 0 else { continue }
            do {
                try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: privateMode)], ofItemAtPath: file)
            } catch {
                throw StoreError.cannotOpen(database: "sqlite:\(path)", reason: "\(file) may be read by other users "
                                            + "(mode \(String(mode, radix: 8))) and Kvota cannot make it 0600: \(error.localizedDescription)")
            }
            if file == path, (attributes[.size] as? NSNumber)?.intValue ?? 0 > 0 {
                logger?.warning("the database file could be read by other users; its mode is now 0600",
                               metadata: ["file": .string(file), "mode_before": .string(String(mode, radix: 8))])
            }
        }
    }
}
