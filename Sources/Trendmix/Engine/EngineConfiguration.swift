import Foundation
public import TrendmixCore

/// Every knob of the engine with its default, and the JSON file that overrides any of them.
///
/// The file uses days for durations and names for enums; any key left out keeps its default, and an unknown
/// key is an error (a typo must not silently keep a default). See `docs/configuration.md`.
public struct EngineConfiguration: Sendable, Hashable {
    public var model = ModelConfiguration()
    /// Only events of the last `windowDays` before `now` are read; `nil` reads all.
    public var windowDays: Double?

    public init() {}

    /// Reads overrides from a JSON file.
    /// - Throws: ``ConfigurationError`` naming the file and the key.
    public init(file: String) throws {
        self.init()
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ConfigurationError(file: file, key: nil, reason: "cannot read the file")
        }
        let root: JSONFields
        do {
            root = try JSONFields(parsing: data)
        } catch let error as JSONFieldError {
            throw ConfigurationError(file: file, key: nil, reason: error.reason)
        }
        try apply(root.object, file: file)
    }

    /// Reads a configuration from JSON text, such as the ``json`` a build stored with its model (read
    /// leniently: keys this version does not know are ignored).
    public init(json: String, source: String = "stored configuration") throws {
        self.init()
        let root: JSONFields
        do {
            root = try JSONFields(parsing: Data(json.utf8))
        } catch let error as JSONFieldError {
            throw ConfigurationError(file: source, key: nil, reason: error.reason)
        }
        try apply(root.object, file: source, strict: false)
    }

    /// The effective configuration as canonical JSON (sorted keys), the text that is stored and hashed.
    public var json: String {
        let m = model
        func days(_ d: Duration?) -> Any { d.map { $0.inDays } ?? NSNull() }
        func weights(_ w: EventWeights) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: EventType.allCases.map { ($0.name, w[$0]) })
        }
        var unit: [String: Any] = [:]
        switch m.cooccurrence.unit {
        case .reader: unit = ["unit": "reader"]
        case .session: unit = ["unit": "session"]
        case .readerGap(let gap): unit = ["unit": "visit", "visit_gap_minutes": gap.inMilliseconds / 60_000]
        }
        var cooccurrence: [String: Any] = unit.merging([
            "measure": m.cooccurrence.measure.rawValue,
            "neighbours": m.cooccurrence.neighbours.map { $0 as Any } ?? NSNull(),
            "min_pair_count": m.cooccurrence.minPairCount,
            "max_items_per_basket": m.cooccurrence.maxItemsPerBasket.map { $0 as Any } ?? NSNull(),
            "weights": weights(m.cooccurrence.weights),
        ]) { a, _ in a }
        cooccurrence["ease"] =
            m.cooccurrence.ease.map { ["lambda": $0.lambda, "max_articles": $0.maxArticles] as Any } ?? NSNull()
        if let cross = m.cooccurrence.crossOccurrence {
            cooccurrence["cross_occurrence"] = [
                "indicator": cross.indicator.map(\.name).sorted(), "target": cross.target.map(\.name).sorted(),
            ]
        }
        let object: [String: Any] = [
            "window_days": windowDays.map { $0 as Any } ?? NSNull(),
            "cooccurrence": cooccurrence,
            "recency": [
                "default_half_life_days": days(m.recency.defaultHalfLife),
                "by_kind": m.recency.byKind.mapValues { days($0) },
                "by_site": m.recency.bySite.mapValues { days($0) },
            ],
            "trending": [
                "measure": m.trending.measure.rawValue, "baseline_factor": m.trending.baselineFactor,
                "prior_strength": m.trending.priorStrength, "gravity": m.trending.gravity,
            ],
            "weights": weights(m.weights),
            "affinity_half_life_days": days(m.affinityHalfLife),
            "mix": [
                "k": m.mix.k, "include_host_site": m.mix.includeHostSite, "max_age_days": days(m.mix.maxAge),
                "fill_from_host_site": m.mix.fillFromHostSite,
                "trending_window_half_lives": m.mix.trendingWindowHalfLives,
                "tag_diversity": m.mix.tagDiversity, "site_quotas": m.mix.siteQuotas,
                "reader_quotas_by_engagement": m.mix.readerQuotasByEngagement, "freshness": m.mix.freshness,
                "freshness_by_kind": m.mix.freshnessByKind,
                "related_freshness": m.mix.relatedFreshness, "session_weight": m.mix.sessionWeight,
                "visit_decay": m.mix.visitDecay,
                "hot_gravity": m.mix.hotGravity.map { $0 as Any } ?? NSNull(),
                "personal_hotness": m.mix.personalHotness, "hot_counts": m.mix.hotCounts.rawValue,
                "evidence_half_saturation": m.mix.evidenceHalfSaturation,
                "max_tag_postings": m.mix.maxTagPostings, "max_history": m.mix.maxHistory,
                "candidates_per_stage": m.mix.candidatesPerStage,
            ],
            "calibration": [
                "enabled": m.calibration.enabled, "horizon_days": m.calibration.horizon.inDays,
                "trending_origins": m.calibration.trendingOrigins, "reader_origins": m.calibration.readerOrigins,
                "target_reader_cases": m.calibration.targetReaderCases,
                "minimum_trending_cases": m.calibration.minimumTrendingCases,
                "minimum_reader_cases": m.calibration.minimumReaderCases,
                "maximum_reader_cases": m.calibration.maximumReaderCases,
                "maximum_sampled_events": m.calibration.maximumSampledEvents,
                "pinned": m.calibration.pinned.map(\.rawValue).sorted(),
            ],
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// FNV-1a (64-bit) of ``json``, in hex: equal configurations have equal hashes across runs and machines.
    public var hash: String { FNV1a.hex64(json) }
}

/// A configuration file that cannot be used.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var key: String?
    public var reason: String

    public var description: String {
        "\(file): " + (key.map { "key '\($0)': " } ?? "") + reason
    }
}
