import Crypto
import Foundation
import Hummingbird

/// The stylesheet and script, read once from the resource bundle and served by the app itself (no CDN, no
/// external request). Links carry the content's hash, so a browser keeps a file for a year and fetches the new one
/// the moment it changes.
struct StaticAssets: Sendable {
    struct Asset: Sendable {
        let body: ByteBuffer
        let contentType: String
        let hash: String
    }

    static let names = ["kvota.css", "kvota.js"]

    let assets: [String: Asset]

    static let shared: StaticAssets = {
        var assets: [String: Asset] = [:]
        for name in names {
            let parts = name.split(separator: ".")
            guard let url = Bundle.module.url(forResource: String(parts[0]), withExtension: String(parts[1]), subdirectory: "static"),
                  let data = try? Data(contentsOf: url) else {
                // Shipped in the resource bundle beside the binary; without it every page would be unstyled.
                fatalError("static/\(name) is not in the resource bundle")
            }
            let hash = SHA256.hash(data: data).prefix(8).map { String(format: "%02x", $0) }.joined()
            assets[name] = Asset(body: ByteBuffer(data: data), contentType: name.hasSuffix(".css") ? "text/css; charset=utf-8"
                                    : "text/javascript; charset=utf-8", hash: hash)
        }
        return StaticAssets(assets: assets)
    }()

    /// The link to `name`, with the version that makes it cacheable for good.
    static func path(_ name: String) -> String {
        "/static/\(name)?v=\(shared.assets[name]?.hash ?? "0")"
    }

    static func register(on router: Router<AppRequestContext>) {
        router.get("/static/:name") { request, context -> Response in
            let name = try context.parameters.require("name")
            guard let asset = shared.assets[name] else { throw HTTPError(.notFound, message: "no such file") }
            let etag = "\"\(asset.hash)\""
            var headers: HTTPFields = [.contentType: asset.contentType, .eTag: etag]
            headers[.cacheControl] = request.uri.queryParameters["v"].map { String($0) } == asset.hash
                ? "public, max-age=31536000, immutable" : "no-cache"
            if request.headers[.ifNoneMatch] == etag { return Response(status: .notModified, headers: headers) }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
        }
    }
}
