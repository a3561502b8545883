// swift-tools-version: 6.1
// Benchmarks live in their own package (as swift-nio and swift-collections keep theirs) so that the test
// build never compiles them. Run from this folder: `swift run -c release import-benchmark`.
import Foundation
import PackageDescription

// A path dependency is known by its folder's name, which depends on where the repository was cloned.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootPackage = root.lastPathComponent.lowercased()

let package = Package(
    name: "TrendmixBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "BenchmarkSupport", path: "Sources/BenchmarkSupport"),
        .executableTarget(
            name: "widget-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Trendmix", package: rootPackage),
                .product(name: "TrendmixStore", package: rootPackage),
                .product(name: "TrendmixCore", package: rootPackage),
            ],
            path: "Sources/WidgetBenchmark"
        ),
        .executableTarget(
            name: "model-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Trendmix", package: rootPackage),
                .product(name: "TrendmixStore", package: rootPackage),
                .product(name: "TrendmixCore", package: rootPackage),
                .product(name: "TrendmixEvaluation", package: rootPackage),
            ],
            path: "Sources/ModelBenchmark"
        ),
        .executableTarget(
            name: "ease-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "TrendmixCore", package: rootPackage),
                .product(name: "TrendmixLinearAlgebra", package: rootPackage),
            ],
            path: "Sources/EASEBenchmark"
        ),
        .executableTarget(
            name: "import-benchmark",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "Trendmix", package: rootPackage),
                .product(name: "TrendmixStore", package: rootPackage),
                .product(name: "TrendmixCore", package: rootPackage),
            ],
            path: "Sources/ImportBenchmark"
        ),
    ],
    swiftLanguageModes: [.v6]
)
