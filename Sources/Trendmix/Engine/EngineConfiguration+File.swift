import Foundation
import TrendmixCore

extension EngineConfiguration {
    /// - Parameter strict: refuse unknown keys (user files); a stored configuration written by another
    ///   version of Trendmix is read leniently, its unknown keys ignored.
    mutating func apply(_ object: [String: Any], file: String, strict: Bool = true) throws {
        let reader = ConfigReader(file: file, strict: strict)
        try reader.keys(
            object, path: "",
            allowed: [
                "window_days", "cooccurrence", "recency", "trending", "weights", "affinity_half_life_days", "mix",
                "calibration",
            ])
        if object.keys.contains("window_days") {
            windowDays = try reader.optionalPositive(object, "window_days", path: "")
        }
        if let c = try reader.object(object, "cooccurrence", path: "") {
            let p = "cooccurrence."
            try reader.keys(
                c, path: p,
                allowed: [
                    "unit", "visit_gap_minutes", "measure", "neighbours", "min_pair_count", "max_items_per_basket",
                    "weights",
                    "cross_occurrence", "ease",
                ])
            if let unit = try reader.string(c, "unit", path: p) {
                switch unit {
                case "reader": model.cooccurrence.unit = .reader
                case "session": model.cooccurrence.unit = .session
                case "visit":
                    let minutes = try reader.optionalPositive(c, "visit_gap_minutes", path: p) ?? 30
                    model.cooccurrence.unit = .readerGap(.seconds(minutes * 60))
                default: throw reader.error(p + "unit", "expected reader, session or visit")
                }
            }
            if let measure = try reader.string(c, "measure", path: p) {
                guard let m = SimilarityMeasure(rawValue: measure) else {
                    throw reader.error(
                        p + "measure",
                        "expected one of \(SimilarityMeasure.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                model.cooccurrence.measure = m
            }
            if c.keys.contains("neighbours") {
                model.cooccurrence.neighbours = try reader.optionalCount(c, "neighbours", path: p)
            }
            if let n = try reader.optionalCount(c, "min_pair_count", path: p) { model.cooccurrence.minPairCount = n }
            if c.keys.contains("max_items_per_basket") {
                model.cooccurrence.maxItemsPerBasket = try reader.optionalCount(c, "max_items_per_basket", path: p)
            }
            if let w = try reader.object(c, "weights", path: p) {
                model.cooccurrence.weights = try reader.weights(
                    w, base: model.cooccurrence.weights, path: p + "weights.")
            }
            if let cross = try reader.object(c, "cross_occurrence", path: p) {
                let q = p + "cross_occurrence."
                try reader.keys(cross, path: q, allowed: ["indicator", "target"])
                model.cooccurrence.crossOccurrence = .init(
                    indicator: try reader.types(cross, "indicator", path: q),
                    target: try reader.types(cross, "target", path: q))
            }
            if c.keys.contains("ease") { model.cooccurrence.ease = try reader.ease(c, path: p) }
            if model.cooccurrence.ease != nil, model.cooccurrence.crossOccurrence != nil {
                throw reader.error(p + "ease", "EASE learns from plain baskets: leave out cross_occurrence with it")
            }
        }
        if let r = try reader.object(object, "recency", path: "") {
            let p = "recency."
            try reader.keys(r, path: p, allowed: ["default_half_life_days", "by_kind", "by_site"])
            if let d = try reader.optionalPositive(r, "default_half_life_days", path: p) {
                model.recency.defaultHalfLife = .days(d)
            }
            for (key, field) in [("by_kind", \RecencyConfiguration.byKind), ("by_site", \RecencyConfiguration.bySite)] {
                if let map = try reader.object(r, key, path: p) {
                    for name in map.keys.sorted() {
                        guard let d = try reader.optionalPositive(map, name, path: p + key + ".") else { continue }
                        model.recency[keyPath: field][name] = .days(d)
                    }
                }
            }
        }
        if let t = try reader.object(object, "trending", path: "") {
            let p = "trending."
            try reader.keys(t, path: p, allowed: ["measure", "baseline_factor", "prior_strength", "gravity"])
            if let measure = try reader.string(t, "measure", path: p) {
                guard let m = TrendingMeasure(rawValue: measure) else {
                    throw reader.error(p + "measure", "expected one of \(TrendingMeasure.list)")
                }
                model.trending.measure = m
                if strict { model.calibration.pinned.insert(.trendingMeasure) }
            }
            if let f = try reader.optionalPositive(t, "baseline_factor", path: p) {
                guard f > 1 else { throw reader.error(p + "baseline_factor", "must be above 1") }
                model.trending.baselineFactor = f
            }
            if let k = try reader.optionalNonNegative(t, "prior_strength", path: p) { model.trending.priorStrength = k }
            if let g = try reader.optionalPositive(t, "gravity", path: p) { model.trending.gravity = g }
        }
        if let w = try reader.object(object, "weights", path: "") {
            model.weights = try reader.weights(w, base: model.weights, path: "weights.")
        }
        if object.keys.contains("affinity_half_life_days") {
            model.affinityHalfLife = try reader.optionalPositive(object, "affinity_half_life_days", path: "").map {
                .days($0)
            }
        }
        if let m = try reader.object(object, "mix", path: "") {
            let p = "mix."
            try reader.keys(
                m, path: p,
                allowed: [
                    "k", "include_host_site", "fill_from_host_site", "trending_window_half_lives", "max_age_days",
                    "tag_diversity", "site_quotas", "reader_quotas_by_engagement", "freshness",
                    "freshness_by_kind", "related_freshness", "hot_gravity", "hot_counts", "personal_hotness",
                    "session_weight", "visit_decay",
                    "evidence_half_saturation",
                    "max_tag_postings",
                    "max_history", "candidates_per_stage",
                ])
            if let k = try reader.optionalCount(m, "k", path: p) {
                guard MixConfiguration.boxSizes.contains(k) else {
                    throw reader.error(p + "k", "must be from 1 to \(MixConfiguration.boxSizes.upperBound)")
                }
                model.mix.k = k
            }
            if let b = try reader.bool(m, "include_host_site", path: p) { model.mix.includeHostSite = b }
            if let b = try reader.bool(m, "fill_from_host_site", path: p) { model.mix.fillFromHostSite = b }
            if let w = try reader.optionalNonNegative(m, "trending_window_half_lives", path: p) {
                model.mix.trendingWindowHalfLives = w
            }
            if m.keys.contains("max_age_days") {
                model.mix.maxAge = try reader.optionalPositive(m, "max_age_days", path: p).map { .days($0) }
            }
            if let b = try reader.bool(m, "tag_diversity", path: p) {
                model.mix.tagDiversity = b
                if strict { model.calibration.pinned.insert(.tagDiversity) }
            }
            if let b = try reader.bool(m, "site_quotas", path: p) { model.mix.siteQuotas = b }
            if let b = try reader.bool(m, "reader_quotas_by_engagement", path: p) {
                model.mix.readerQuotasByEngagement = b
            }
            if let f = try reader.optionalNonNegative(m, "freshness", path: p) {
                guard f <= 1 else { throw reader.error(p + "freshness", "must be between 0 and 1") }
                model.mix.freshness = f
                if strict { model.calibration.pinned.insert(.freshness) }
            }
            if let map = try reader.object(m, "freshness_by_kind", path: p) {
                for kind in map.keys.sorted() {
                    let path = p + "freshness_by_kind."
                    guard let f = try reader.optionalNonNegative(map, kind, path: path) else {
                        model.mix.freshnessByKind[kind] = nil
                        continue
                    }
                    guard f <= 1 else { throw reader.error(path + kind, "must be between 0 and 1") }
                    model.mix.freshnessByKind[kind] = f
                }
                if strict { model.calibration.pinned.insert(.freshness) }
            }
            if let f = try reader.optionalNonNegative(m, "related_freshness", path: p) {
                guard f <= 1 else { throw reader.error(p + "related_freshness", "must be between 0 and 1") }
                model.mix.relatedFreshness = f
            }
            if m.keys.contains("hot_gravity") {
                model.mix.hotGravity = try reader.optionalNonNegative(m, "hot_gravity", path: p)
            }
            if let counts = try reader.string(m, "hot_counts", path: p) {
                guard let h = HotCount(rawValue: counts) else {
                    throw reader.error(p + "hot_counts", "expected one of \(HotCount.list)")
                }
                model.mix.hotCounts = h
                if strict { model.calibration.pinned.insert(.hotCounts) }
            }
            if let r = try reader.optionalNonNegative(m, "personal_hotness", path: p) {
                guard r <= 4 else { throw reader.error(p + "personal_hotness", "must be between 0 and 4") }
                model.mix.personalHotness = r
                if strict { model.calibration.pinned.insert(.personalHotness) }
            }
            if let w = try reader.optionalNonNegative(m, "session_weight", path: p) {
                guard w <= 1 else { throw reader.error(p + "session_weight", "must be between 0 and 1") }
                model.mix.sessionWeight = w
            }
            if let d = try reader.optionalNonNegative(m, "visit_decay", path: p) {
                guard d <= 100 else { throw reader.error(p + "visit_decay", "must be between 0 and 100") }
                model.mix.visitDecay = d
            }
            if let e = try reader.optionalNonNegative(m, "evidence_half_saturation", path: p) {
                model.mix.evidenceHalfSaturation = e
            }
            if let n = try reader.optionalCount(m, "max_tag_postings", path: p) { model.mix.maxTagPostings = max(1, n) }
            if let n = try reader.optionalCount(m, "max_history", path: p) { model.mix.maxHistory = n }
            if let n = try reader.optionalCount(m, "candidates_per_stage", path: p) { model.mix.candidatesPerStage = n }
        }
        if let c = try reader.object(object, "calibration", path: "") {
            try applyCalibration(c, reader: reader)
        }
    }

    /// The `calibration` section (``CalibrationConfiguration``). Setting a knob elsewhere in a user's file pins it
    /// as well (`trending.measure`, `mix.freshness`, `mix.freshness_by_kind`, `mix.hot_counts`,
    /// `mix.personal_hotness`).
    private mutating func applyCalibration(_ c: [String: Any], reader: ConfigReader) throws {
        let p = "calibration."
        try reader.keys(
            c, path: p,
            allowed: [
                "enabled", "horizon_days", "trending_origins", "reader_origins", "target_reader_cases",
                "minimum_trending_cases",
                "minimum_reader_cases", "maximum_reader_cases", "maximum_sampled_events", "pinned",
            ])
        if let b = try reader.bool(c, "enabled", path: p) { model.calibration.enabled = b }
        if let d = try reader.optionalPositive(c, "horizon_days", path: p) { model.calibration.horizon = .days(d) }
        if let n = try reader.optionalCount(c, "trending_origins", path: p) { model.calibration.trendingOrigins = n }
        if let n = try reader.optionalCount(c, "reader_origins", path: p) { model.calibration.readerOrigins = n }
        if let n = try reader.optionalCount(c, "target_reader_cases", path: p) {
            model.calibration.targetReaderCases = n
        }
        if let n = try reader.optionalCount(c, "minimum_trending_cases", path: p) {
            model.calibration.minimumTrendingCases = n
        }
        if let n = try reader.optionalCount(c, "minimum_reader_cases", path: p) {
            model.calibration.minimumReaderCases = n
        }
        if let n = try reader.optionalCount(c, "maximum_reader_cases", path: p) {
            model.calibration.maximumReaderCases = max(1, n)
        }
        if let n = try reader.optionalCount(c, "maximum_sampled_events", path: p) {
            model.calibration.maximumSampledEvents = max(1, n)
        }
        if c.keys.contains("pinned") {
            guard let list = c["pinned"] as? [Any] else {
                throw reader.error(p + "pinned", "expected a list of knob names")
            }
            for (i, item) in list.enumerated() {
                guard let name = item as? String, let knob = CalibrationConfiguration.Knob(rawValue: name) else {
                    throw reader.error(
                        p + "pinned[\(i)]",
                        "expected one of "
                            + CalibrationConfiguration.Knob.allCases.map(\.rawValue).joined(separator: ", "))
                }
                model.calibration.pinned.insert(knob)
            }
        }
    }
}

/// Typed reads from a parsed JSON object with errors naming the key path.
private struct ConfigReader {
    let file: String
    let strict: Bool

    /// `cooccurrence.ease`: `null` (off) or `{"lambda": λ, "max_articles": n}`, each optional.
    func ease(_ c: [String: Any], path p: String) throws -> EASEConfiguration? {
        guard let e = try object(c, "ease", path: p) else { return nil }
        let q = p + "ease."
        try keys(e, path: q, allowed: ["lambda", "max_articles"])
        var ease = EASEConfiguration()
        if let lambda = try optionalPositive(e, "lambda", path: q) {
            guard EASEConfiguration.lambdaRange.contains(lambda) else {
                throw error(q + "lambda", "must be from 1 to 1e9 (λ ≥ 1 keeps XᵀX + λI well conditioned)")
            }
            ease.lambda = lambda
        }
        if let n = try optionalCount(e, "max_articles", path: q) {
            let range = EASEConfiguration.maxArticlesRange
            guard range.contains(n) else {
                throw error(
                    q + "max_articles",
                    "must be from \(range.lowerBound) to \(range.upperBound) (a dense n × n inverse: 30,000 is 7.2 GB)")
            }
            ease.maxArticles = n
        }
        return ease
    }

    func error(_ key: String, _ reason: String) -> ConfigurationError {
        ConfigurationError(file: file, key: key, reason: reason)
    }

    /// Runs reads through ``JSONFields`` (the one strict JSON path), naming the file in their errors.
    private func reading<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as JSONFieldError {
            throw self.error(error.path, error.reason)
        }
    }

    func keys(_ object: [String: Any], path: String, allowed: Set<String>) throws {
        guard strict else { return }
        try reading { try JSONFields(object, path: path).refuseUnknownKeys(allowed: allowed) }
    }

    func object(_ o: [String: Any], _ key: String, path: String) throws -> [String: Any]? {
        try reading { try JSONFields(o, path: path).object(key)?.object }
    }

    func string(_ o: [String: Any], _ key: String, path: String) throws -> String? {
        try reading { try JSONFields(o, path: path).string(key) }
    }

    func bool(_ o: [String: Any], _ key: String, path: String) throws -> Bool? {
        try reading { try JSONFields(o, path: path).bool(key) }
    }

    private func number(_ o: [String: Any], _ key: String, path: String) throws -> Double? {
        try reading { try JSONFields(o, path: path).number(key) }
    }

    func optionalPositive(_ o: [String: Any], _ key: String, path: String) throws -> Double? {
        guard let x = try number(o, key, path: path) else { return nil }
        guard x > 0 else { throw error(path + key, "must be positive") }
        return x
    }

    func optionalNonNegative(_ o: [String: Any], _ key: String, path: String) throws -> Double? {
        guard let x = try number(o, key, path: path) else { return nil }
        guard x >= 0 else { throw error(path + key, "must not be negative") }
        return x
    }

    func optionalCount(_ o: [String: Any], _ key: String, path: String) throws -> Int? {
        guard let x = try number(o, key, path: path) else { return nil }
        guard x >= 0, x == x.rounded(), x < 1e9 else { throw error(path + key, "must be a whole number of 0 or more") }
        return Int(x)
    }

    func weights(_ o: [String: Any], base: EventWeights, path: String) throws -> EventWeights {
        var w = base
        for key in o.keys.sorted() {
            guard let type = EventType(name: key) else {
                throw error(path + key, "unknown event type; expected one of \(EventType.acceptedNames)")
            }
            guard let x = try optionalNonNegative(o, key, path: path) else { continue }
            w[type] = x
        }
        return w
    }

    func types(_ o: [String: Any], _ key: String, path: String) throws -> Set<EventType> {
        guard let list = try reading({ try JSONFields(o, path: path).strings(key) }), !list.isEmpty else {
            throw error(path + key, "must be a non-empty list of event types")
        }
        return try Set(
            list.map { name in
                guard let t = EventType(name: name) else { throw error(path + key, "unknown event type '\(name)'") }
                return t
            })
    }
}
