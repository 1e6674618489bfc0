// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Kvota",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kvota", targets: ["kvota"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-algorithms", from: "1.2.1"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        .target(name: "KvotaCore"),
        .target(
            name: "KvotaStore",
            dependencies: [
                "KvotaCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // XLSX workbooks: a table written with typed cells, a sheet read back as rows of text.
        .target(name: "KvotaSheets", dependencies: ["KvotaCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Reading other systems' files into Kvota: encodings, delimiters, layouts, and the rows the store writes.
        .target(
            name: "KvotaImport",
            dependencies: ["KvotaCore", "KvotaStore", "KvotaSheets", .product(name: "CSV", package: "CSV.swift"),
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "KvotaWeb",
            dependencies: [
                "KvotaCore",
                "KvotaStore",
                "KvotaImport",
                "KvotaSheets",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Posts outgoing webhooks.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // Reads a file uploaded from a page's form (the imports page).
                .product(name: "MultipartKit", package: "multipart-kit"),
                // Distinct customers per region or channel as bit sets of account ids (territory and channel pages).
                .product(name: "BitCollections", package: "swift-collections"),
                // The first rows of a long table in order without sorting all of it (`min(count:sortedBy:)`).
                .product(name: "Algorithms", package: "swift-algorithms"),
                // GET /metrics: requests by route (Hummingbird's MetricsMiddleware), the pools, the jobs, the PBX link.
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                // The HTTP parts a connection handler sees (`RequestReadDeadline`); Hummingbird's own dependency.
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            // The UI's catalogs, CSS and script, read from the resource bundle beside the binary.
            resources: [.copy("Resources/i18n"), .copy("Resources/static")]
        ),
        .executableTarget(
            name: "kvota",
            dependencies: [
                "KvotaCore",
                "KvotaStore",
                "KvotaWeb",
                "KvotaImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Fresh databases for tests on both engines; not shipped in the executable.
        .target(
            name: "KvotaTestSupport",
            dependencies: ["KvotaCore", "KvotaStore", .product(name: "SQLKit", package: "sql-kit")]
        ),
        .testTarget(name: "KvotaCoreTests", dependencies: ["KvotaCore"]),
        .testTarget(name: "KvotaSheetsTests", dependencies: ["KvotaCore", "KvotaSheets", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(
            name: "KvotaStoreTests",
            dependencies: ["KvotaCore", "KvotaStore", "KvotaImport", "KvotaSheets", "KvotaTestSupport", .product(name: "SQLKit", package: "sql-kit")]
        ),
        .testTarget(
            name: "KvotaWebTests",
            dependencies: [
                "KvotaCore", "KvotaStore", "KvotaWeb", "KvotaImport", "KvotaTestSupport", "KvotaSheets",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "SQLKit", package: "sql-kit"),
                // A webhook receiver's side: the client the dispatcher posts with, and HMAC to check its signatures.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Runs the built `kvota` executable as an operator would.
        .testTarget(name: "KvotaCLITests", dependencies: ["kvota", "KvotaStore", "KvotaTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
