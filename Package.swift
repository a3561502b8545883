// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Trendmix",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Trendmix", targets: ["Trendmix"]),
        .library(name: "TrendmixCore", targets: ["TrendmixCore"]),
        .library(name: "TrendmixStore", targets: ["TrendmixStore"]),
        .library(name: "TrendmixLinearAlgebra", targets: ["TrendmixLinearAlgebra"]),
        .library(name: "TrendmixEvaluation", targets: ["TrendmixEvaluation"]),
        .library(name: "TrendmixServer", targets: ["TrendmixServer"]),
        .executable(name: "trendmix", targets: ["TrendmixCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        // Hummingbird's own transport: the server adds channel handlers of its own (ConnectionGuard.swift).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(name: "TrendmixCore", swiftSettings: strict),
        .target(name: "CSQLiteTuning", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "CFileSystem"),
        .target(name: "CTrendmixLibc"),
        // Debian's OpenBLAS (LAPACK's dpotrf/dpotri) for EASE's dense inverse; libopenblas-dev.
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        // Debian's libpq, PostgreSQL's own client library (the one psql uses), for PostgresStore; libpq-dev.
        .systemLibrary(name: "CPostgres", providers: [.apt(["libpq-dev"])]),
        .target(name: "TrendmixLinearAlgebra", dependencies: ["TrendmixCore", "COpenBLAS"], swiftSettings: strict),
        .target(
            name: "TrendmixStore",
            dependencies: [
                "TrendmixCore",
                "CSQLiteTuning",
                "CPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Trendmix",
            dependencies: [
                "TrendmixCore", "TrendmixStore", "TrendmixLinearAlgebra", "TrendmixEvaluation", "CFileSystem",
                "CTrendmixLibc",
            ],
            swiftSettings: strict),
        .target(
            name: "TrendmixEvaluation", dependencies: ["TrendmixCore", "TrendmixLinearAlgebra"], swiftSettings: strict),
        .target(
            name: "TrendmixServer",
            dependencies: [
                "Trendmix",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                "CTrendmixLibc",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/embed.js"), .copy("Resources/widget.css")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "TrendmixCLI",
            dependencies: [
                "Trendmix", "TrendmixEvaluation", "TrendmixServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .target(name: "TrendmixTestSupport", dependencies: ["Trendmix"], swiftSettings: strict),
        .testTarget(
            name: "TrendmixCoreTests", dependencies: ["TrendmixCore", "TrendmixTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "TrendmixStoreTests",
            dependencies: ["TrendmixStore", "TrendmixTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TrendmixLinearAlgebraTests", dependencies: ["TrendmixLinearAlgebra", "TrendmixTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "TrendmixTests", dependencies: ["Trendmix", "TrendmixTestSupport", "CTrendmixLibc"],
            swiftSettings: strict),
        .testTarget(
            name: "TrendmixEvaluationTests", dependencies: ["TrendmixEvaluation", "TrendmixTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "TrendmixServerTests",
            dependencies: [
                "TrendmixServer", "TrendmixTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TrendmixCLITests",
            dependencies: ["TrendmixCLI", "TrendmixTestSupport"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
