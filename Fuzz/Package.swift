// swift-tools-version: 6.1
// libFuzzer targets (issue 23), in their own package so that the test build never compiles them. Built with the
// fuzzer and address sanitizer over every module: `bash Fuzz/run.sh` (it passes `-sanitize=fuzzer,address`).
// Each target's entry point (`<module>_main`, as SwiftPM links executables) hands its test function to
// libFuzzer's driver.
import Foundation
import PackageDescription

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootPackage = root.lastPathComponent.lowercased()

func fuzzer(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: rootPackage) },
        path: "Sources/\(name)",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])])
}

let package = Package(
    name: "TrendmixFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        .target(
            name: "FuzzSupport", dependencies: ["CLibFuzzer", .product(name: "TrendmixStore", package: rootPackage)],
            path: "Sources/FuzzSupport"),
        fuzzer("FuzzCanonicalCSV", ["TrendmixStore", "TrendmixCore"]),
        fuzzer("FuzzCanonicalJSONLines", ["TrendmixStore", "TrendmixCore"]),
        fuzzer("FuzzStackExchange", ["TrendmixStore", "TrendmixCore"]),
        fuzzer("FuzzPostBodies", ["TrendmixServer", "TrendmixCore"]),
        fuzzer("FuzzConfiguration", ["Trendmix"]),
    ]
)
