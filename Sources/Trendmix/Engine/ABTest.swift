import Foundation
import TrendmixCore

/// One arm of an A/B test: `serve --variant name=config.json[:share]`. Its configuration changes how boxes are
/// mixed from the built model (the `mix` settings, and `calibration.enabled`: off, every site uses the variant's
/// settings instead of what the build's calibration chose); settings that change what a build computes must be
/// the model's (``ABTest/checkServable(on:)``).
public struct ABVariant: Sendable {
    public var name: String
    public var configuration: EngineConfiguration
    /// The share of readers, 0 to 1; nil for an equal part of what the variants with a share leave.
    public var share: Double?

    /// The name of the arm that gets the stored model's own configuration: the readers no variant takes.
    public static let control = "control"
    public static let nameRule = "1 to 32 lowercase letters, digits, '-' or '_', starting with a letter or digit"

    public init(name: String, configuration: EngineConfiguration, share: Double? = nil) {
        self.name = name
        self.configuration = configuration
        self.share = share
    }

    public static func isValidName(_ name: String) -> Bool { FieldRules.isVariantName(name) }

    /// Reads `name=config.json[:share]`, the share a fraction (`0.2`) or a percentage (`20%`).
    /// - Throws: ``ConfigurationError`` naming the option and what is wrong, or the configuration file and key.
    public init(parsing spec: String) throws {
        func bad(_ why: String) -> ConfigurationError {
            ConfigurationError(file: "--variant \(spec)", key: nil, reason: why)
        }
        guard let equals = spec.firstIndex(of: "=") else { throw bad("expected name=config.json[:share]") }
        let name = String(spec[..<equals])
        guard Self.isValidName(name), name != Self.control else {
            throw bad(
                name == Self.control
                    ? "'control' names the readers no variant takes; choose another name"
                    : "the name must be \(Self.nameRule)")
        }
        var path = String(spec[spec.index(after: equals)...])
        var share: Double?
        if let colon = path.lastIndex(of: ":") {
            let text = String(path[path.index(after: colon)...])
            let percent = text.hasSuffix("%")
            guard let value = Double(percent ? String(text.dropLast()) : text), value.isFinite else {
                throw bad("the share '\(text)' is not a number (0.2 or 20%)")
            }
            share = percent ? value / 100 : value
            path = String(path[..<colon])
        }
        if let share, !(share > 0 && share <= 1) { throw bad("the share must be above 0 and at most 1 (100%)") }
        guard !path.isEmpty else { throw bad("no configuration file given") }
        self.init(name: name, configuration: try EngineConfiguration(file: path), share: share)
    }
}

/// Readers split among variants by a stable hash of their id: the same reader gets the same arm on every server
/// and after every restart, as long as the variants and their shares stay the same.
public struct ABTest: Sendable {
    public let variants: [ABVariant]
    /// Upper bounds of each variant's range in [0, 1); the rest of the range is ``ABVariant/control``.
    public let bounds: [Double]

    /// - Throws: ``ConfigurationError`` for a name given twice or shares above 1 in all.
    public init(_ variants: [ABVariant]) throws {
        var seen: Set<String> = []
        for v in variants where !seen.insert(v.name).inserted {
            throw ConfigurationError(file: "--variant", key: nil, reason: "the variant '\(v.name)' is given twice")
        }
        let given = variants.compactMap(\.share).reduce(0, +)
        guard given <= 1 + 1e-9 else {
            throw ConfigurationError(
                file: "--variant", key: nil, reason: "the shares add up to \(given), more than 1 (100%)")
        }
        let unshared = variants.filter { $0.share == nil }.count
        let each = unshared == 0 ? 0 : max(0, 1 - given) / Double(unshared)
        var bound = 0.0
        bounds = variants.map { v in
            bound += v.share ?? each
            return min(bound, 1)
        }
        self.variants = variants
    }

    /// The variant a reader's boxes come from (its index in ``variants``), nil for ``ABVariant/control``.
    public func assign(reader: String) -> Int? {
        let u = Self.bucket(reader)
        return bounds.firstIndex { u < $0 }
    }

    /// The name recorded with a reader's boxes, impressions and clicks.
    public func name(of index: Int?) -> String { index.map { variants[$0].name } ?? ABVariant.control }

    /// A reader's place in [0, 1): FNV-1a over a fixed prefix and the id, mixed by MurmurHash3's 64-bit finaliser
    /// (FNV-1a alone leaves its high bits poorly spread over ids that differ in their last characters:
    /// `reader-0` … `reader-19999` gave a 25 % arm 26.5 %), then its top 53 bits.
    public static func bucket(_ reader: String) -> Double {
        var h = FNV1a.hash64("trendmix-ab|" + reader)
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h &*= 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return Double(h >> 11) / Double(UInt64(1) << 53)
    }

    /// Refuses a variant whose settings would need another build: anything outside `mix` and `calibration`
    /// that differs from the configuration the stored model was built with.
    /// - Throws: ``ConfigurationError`` naming the variant and the first setting that differs.
    public func checkServable(on built: EngineConfiguration) throws {
        let model = Self.flattened(built.json)
        for v in variants {
            let mine = Self.flattened(v.configuration.json)
            for key in Set(model.keys).union(mine.keys).sorted()
            where !key.hasPrefix("mix.") && !key.hasPrefix("calibration.") && model[key] != mine[key] {
                throw ConfigurationError(
                    file: "--variant \(v.name)", key: key,
                    reason:
                        "differs from the stored model's (\(model[key] ?? "unset") against \(mine[key] ?? "unset")); "
                        + "a variant may change mix and calibration settings only, the rest needs another build")
            }
        }
    }

    /// A configuration's JSON as dotted keys and the JSON text of each leaf.
    static func flattened(_ json: String) -> [String: String] {
        var out: [String: String] = [:]
        func walk(_ value: Any, _ path: String) {
            if let object = value as? [String: Any] {
                for (key, child) in object { walk(child, path.isEmpty ? key : path + "." + key) }
            } else if let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
            {
                out[path] = String(decoding: data, as: UTF8.self)
            }
        }
        if let root = try? JSONSerialization.jsonObject(with: Data(json.utf8)) { walk(root, "") }
        return out
    }
}

extension RecommendationEngine {
    /// The same built model served with another configuration's `mix` settings (a variant): the model's data
    /// and look-up indexes are shared, the serving state (hot lists, orders, per-site tuning) is derived anew.
    /// With `calibration.enabled` false in `configuration`, every site uses its settings instead of the build's
    /// per-site choices.
    public func reconfigured(_ configuration: EngineConfiguration) -> RecommendationEngine {
        var learned = model.learned
        if !configuration.model.calibration.enabled { learned.calibration = nil }
        let model = RecommendationModel(
            catalogue: self.model.catalogue, learned: learned, builtAt: self.model.builtAt,
            configuration: configuration.model)
        return RecommendationEngine(copying: self, model: model, configuration: configuration)
    }
}
