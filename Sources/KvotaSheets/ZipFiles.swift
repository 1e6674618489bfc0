import Foundation
import ZIPFoundation

/// The files of a zip other than a workbook (Salesforce's Data Export: one CSV per object), each unpacked whole.
public enum ZipFiles {
    public enum Failure: Error, Equatable {
        case unreadable(String)
    }

    /// The files whose name (without folders) `wanted` accepts, by that name. A zip bomb is refused before it is
    /// unpacked, as a workbook's parts are.
    public static func files(_ data: Data, where wanted: (String) -> Bool) throws(Failure) -> [String: Data] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw .unreadable("the file is not a readable zip") }
        var files: [String: Data] = [:]
        for entry in archive where entry.type == .file {
            let name = entry.path.split(separator: "/").last.map(String.init) ?? entry.path
            guard wanted(name) else { continue }
            guard entry.uncompressedSize < 1 << 30 else { throw .unreadable("\(entry.path) unpacks to more than 1 GiB") }
            var content = Data()
            do { _ = try archive.extract(entry) { content.append($0) } } catch { throw .unreadable("\(entry.path) cannot be unpacked") }
            files[name] = content
        }
        return files
    }

    /// A zip of the files, deflated, each dated 2020-01-01 so the same files make the same bytes.
    public static func archive(_ files: [(path: String, data: Data)]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, data) in files {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 modificationDate: Date(timeIntervalSince1970: 1_577_836_800), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }
}
