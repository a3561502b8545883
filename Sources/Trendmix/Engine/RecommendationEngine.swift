import Foundation
public import TrendmixCore
import TrendmixEvaluation
import TrendmixLinearAlgebra
public import TrendmixStore

/// The engine: builds a model from a store, stores it, and answers queries by external ids.
///
///     let store = try Stores.open("trendmix.sqlite")
///     let engine = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration())
///     try await engine.save(to: store)
///     let box = try engine.related(site: "beer", article: "42", k: 6)
///     let mix = try engine.trending(host: "beer", k: 8)
///
/// Batch jobs and serving share this type: `build` computes, `load` reads what a build stored.
public struct RecommendationEngine: Sendable {
    public let model: RecommendationModel
    public let configuration: EngineConfiguration
    public let stamp: ModelStamp
    /// How long the build's steps took (zero for a loaded engine).
    public var timings = BuildTimings()
    /// What a build found worth telling its user (events from the future left out, sites gone quiet), one
    /// sentence each; empty for a loaded engine.
    public var warnings: [String] = []
    let siteIndex: [String: Int32]
    let articleIndex: [ArticleKey: Int32]
    let urlIndex: [String: Int32]
    let readerIndex: [String: Int32]
    /// Every article's expiry time, ascending: a box computed at `t` holds until the first one after `t`.
    private let expiries: [Int64]

    struct ArticleKey: Hashable {
        var site: Int32
        var id: String
    }

    init(model: RecommendationModel, configuration: EngineConfiguration, stamp: ModelStamp) {
        self.model = model
        self.configuration = configuration
        self.stamp = stamp
        var sites: [String: Int32] = [:]
        for (i, site) in model.sites.enumerated() { sites[site.slug] = Int32(i) }
        siteIndex = sites
        var articles: [ArticleKey: Int32] = [:]
        var urls: [String: Int32] = [:]
        for a in 0..<model.articles.count {
            articles[ArticleKey(site: model.articles.site[a], id: model.articles.externalID[a])] = Int32(a)
            if let url = model.articles.url[a] { urls[URLNormalizer.normalize(url)] = Int32(a) }
        }
        articleIndex = articles
        urlIndex = urls
        var readers: [String: Int32] = [:]
        for (i, r) in model.readers.enumerated() { readers[r] = Int32(i) }
        readerIndex = readers
        expiries = model.articles.expiresAt.compactMap { $0 }.sorted()
    }

    /// The first moment after `time` at which an article expires (a box computed at `time` may change then),
    /// nil when none does.
    public func nextExpiry(after time: Timestamp) -> Timestamp? {
        let passed = expiriesPassed(by: time)
        return passed < expiries.count ? Timestamp(milliseconds: expiries[passed]) : nil
    }

    /// The `index`-th expiry time in ascending order (nil out of range).
    public func expiry(at index: Int) -> Timestamp? {
        expiries.indices.contains(index) ? Timestamp(milliseconds: expiries[index]) : nil
    }

    /// How many articles had expired by `time`: answers with the same count are computed over the same articles
    /// (entity tags include it).
    public func expiriesPassed(by time: Timestamp) -> Int {
        var low = 0
        var high = expiries.count
        while low < high {
            let mid = (low + high) / 2
            if expiries[mid] <= time.milliseconds { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Builds a model from the store's events.
    /// - Parameter now: the moment to build for; by default the latest event (a store's data may be old) that is
    ///   not from the future: events dated more than ``Timestamp/futureTolerance`` after the clock are left out
    ///   (with a warning), so one mistyped year cannot decide the moment every box is computed for.
    /// - Parameter partitions: the parts of a partitioned build (``buildPartition(store:configuration:now:part:of:)``),
    ///   whose neighbour rows it joins instead of computing them; empty to compute them here.
    /// - Throws: ``PartitionError/mismatch(_:)`` when the parts do not cover the articles once, or were computed
    ///   for another moment, configuration or snapshot; store errors.
    public static func build(
        store: any ModelStore, configuration: EngineConfiguration, now: Timestamp? = nil,
        partitions: [ModelPartition] = []
    ) async throws -> RecommendationEngine {
        let clock = ContinuousClock()
        let started = clock.now
        var (snapshot, at, windowStart, warnings) = try await readSnapshot(
            store: store, configuration: configuration, now: now)
        let windowEnd = at + .milliseconds(1)
        let loaded = clock.now
        let joined = try partitions.isEmpty ? nil : join(partitions, snapshot: snapshot, at: at, configuration)
        let calibration =
            configuration.model.calibration.enabled
            ? Calibrator(configuration: configuration.model).calibrate(snapshot, now: at) : nil
        let calibrated = clock.now
        let model = RecommendationModel(
            catalogue: snapshot.catalogue,
            learned: LearnedModel(
                snapshot: snapshot, configuration: configuration.model, now: at, calibration: calibration,
                neighbours: joined?.neighbours
                    ?? .learned(snapshot: snapshot, configuration: configuration.model.cooccurrence),
                sessionNeighbours: joined?.sessionNeighbours),
            builtAt: at, configuration: configuration.model)
        var lastEvent = [Int64?](repeating: nil, count: snapshot.sites.count)
        for i in 0..<snapshot.events.count {
            let site = Int(snapshot.articles.site[Int(snapshot.events.article[i])])
            lastEvent[site] = max(lastEvent[site] ?? .min, snapshot.events.time[i])
        }
        warnings += StoreStatistics.quietSites(
            snapshot.sites.enumerated().map {
                ($0.element.slug, lastEvent[$0.offset].map { Timestamp(milliseconds: $0) })
            }, now: at)
        let timings = BuildTimings(
            snapshot: loaded - started, model: clock.now - loaded, calibration: calibrated - loaded,
            events: snapshot.events.count)
        let stamp = ModelStamp(
            builtFor: at, computedAt: Timestamp.wallClock(),
            configuration: configuration.json, configurationHash: configuration.hash, windowStart: windowStart,
            windowEnd: windowEnd)
        var engine = RecommendationEngine(model: model, configuration: configuration, stamp: stamp)
        engine.timings = timings
        engine.warnings = warnings
        return engine
    }

    /// The snapshot a build reads (its window cut), the moment it builds for, the window's start and the warnings
    /// about events left out.
    private static func readSnapshot(
        store: any ModelStore, configuration: EngineConfiguration, now: Timestamp?
    ) async throws -> (Snapshot, Timestamp, Timestamp?, [String]) {
        var warnings: [String] = []
        // Without `now`, the latest event decides: read everything up to it, then cut the window in memory.
        let latest = now ?? Timestamp.latestEventTime(clock: Timestamp.wallClock())
        if now == nil {
            let future = try await store.eventCount(after: latest)
            if future > 0 {
                warnings.append(
                    "left out \(future) event\(future == 1 ? "" : "s") dated after \(latest.iso8601), more than a day "
                        + "after this machine's clock")
            }
        }
        var snapshot = try await store.snapshot(from: nil, to: latest + .milliseconds(1))
        let at = now ?? snapshot.lastEventTime ?? Timestamp(milliseconds: 0)
        // Truncated to the millisecond, as builds have always cut it (a stored window must not move by one).
        let windowStart = configuration.windowDays.map {
            Timestamp(milliseconds: at.milliseconds - Int64($0 * Double(Timestamp.millisecondsPerDay)))
        }
        if let windowStart { snapshot = snapshot.keepingEvents(from: windowStart) }
        return (snapshot, at, windowStart, warnings)
    }

    /// One worker's share of a partitioned build: the neighbour rows of part `part` (1-based) of `n` of the
    /// articles, from the snapshot for `now` (which every worker must be given alike).
    /// - Throws: ``PartitionError/notPartitionable(_:)`` for EASE, whose rows come from one inverse of the whole.
    public static func buildPartition(
        store: any ModelStore, configuration: EngineConfiguration, now: Timestamp, part: Int, of n: Int
    ) async throws -> ModelPartition {
        guard configuration.model.cooccurrence.ease == nil else {
            throw PartitionError.notPartitionable(
                "EASE (cooccurrence.ease) learns every row from one inverse of the whole item matrix")
        }
        guard n >= 1, (1...n).contains(part) else {
            throw PartitionError.mismatch("part \(part) of \(n) does not exist")
        }
        let (snapshot, at, _, _) = try await readSnapshot(store: store, configuration: configuration, now: now)
        let range = ModelPartition.range(part: part, of: n, count: snapshot.articles.count)
        return ModelPartition(
            part: part, of: n, articles: range, builtFor: at, configurationHash: configuration.hash,
            snapshotDigest: ModelPartition.digest(snapshot),
            neighbours: NeighbourIndex(
                snapshot: snapshot, configuration: configuration.model.cooccurrence, articles: range),
            sessionNeighbours: LearnedModel.sessionNeighbours(
                snapshot: snapshot, configuration: configuration.model, articles: range))
    }

    /// The neighbour rows of the whole from its parts, after checking that they are all the parts of one build of
    /// this snapshot, moment and configuration.
    private static func join(
        _ parts: [ModelPartition], snapshot: Snapshot, at: Timestamp, _ configuration: EngineConfiguration
    ) throws -> (neighbours: NeighbourIndex, sessionNeighbours: NeighbourIndex) {
        let n = parts[0].of
        let numbers = parts.map(\.part).sorted()
        guard parts.allSatisfy({ $0.of == n }), numbers == Array(1...n) else {
            throw PartitionError.mismatch(
                "expected parts 1 to \(n) once each, got \(numbers.map(String.init).joined(separator: ", "))")
        }
        let digest = ModelPartition.digest(snapshot)
        for part in parts {
            guard part.builtFor == at else {
                throw PartitionError.mismatch(
                    "part \(part.part) was built for \(part.builtFor.iso8601), this build is for \(at.iso8601)")
            }
            guard part.configurationHash == configuration.hash else {
                throw PartitionError.mismatch(
                    "part \(part.part) was built with configuration \(part.configurationHash), this build uses "
                        + configuration.hash)
            }
            guard part.snapshotDigest == digest,
                part.articles == ModelPartition.range(part: part.part, of: n, count: snapshot.articles.count)
            else {
                throw PartitionError.mismatch(
                    "part \(part.part) was computed from other events or articles than the store holds now (snapshot "
                        + "\(part.snapshotDigest), now \(digest)): run every part again")
            }
        }
        guard let neighbours = NeighbourIndex.joining(parts.map { ($0.articles, $0.neighbours) }),
            let sessions = NeighbourIndex.joining(parts.map { ($0.articles, $0.sessionNeighbours) })
        else { throw PartitionError.mismatch("the parts' rows do not fit together") }
        return (neighbours, sessions)
    }

    /// Stores the model (what it learned, ``LearnedModel``) with its stamp, replacing the previous one.
    public func save(to store: any ModelStore) async throws {
        try await store.saveModel(StoredModel(stamp: stamp, catalogue: model.catalogue, learned: model.learned))
    }

    /// Loads the model a build stored. The configuration is the one the build used (from its stamp) unless
    /// `configuration` is given; only its `mix` settings matter when serving.
    /// - Throws: ``EngineError/noModel`` when nothing was built yet.
    public static func load(
        from store: any ModelStore, configuration: EngineConfiguration? = nil
    ) async throws -> RecommendationEngine {
        guard let stored = try await store.loadModel() else { throw EngineError.noModel }
        let effective = try configuration ?? EngineConfiguration(json: stored.stamp.configuration)
        let model = RecommendationModel(
            catalogue: stored.catalogue, learned: stored.learned, builtAt: stored.stamp.builtFor,
            configuration: effective.model)
        return RecommendationEngine(model: model, configuration: effective, stamp: stored.stamp)
    }

    // MARK: Queries

    /// Related articles from the other sites for an article ("readers of this also read").
    /// `visit`: what the reader read before this article in the same visit, oldest first (``visited(_:site:)``):
    /// the box reads them too and leaves them out (``MixConfiguration/visitDecay``).
    public func related(
        site: String? = nil, article: String, visit: [String] = [], reader: String? = nil, k: Int? = nil,
        exclude: [String] = [], now: Timestamp? = nil, visibleAt: Timestamp? = nil
    ) throws -> [RecommendedItem] {
        let seed = try self.article(article, site: site)
        let request = RecommendationRequest(
            host: model.articles.site[Int(seed)], seed: seed,
            visit: visited(visit, site: model.articles.site[Int(seed)]),
            reader: reader.flatMap { readerIndex[$0] }, k: k ?? configuration.model.mix.k,
            exclude: try excluded(exclude), now: now ?? model.builtAt, visibleAt: visibleAt)
        return items(model.recommend(request))
    }

    /// The mix of what is trending on the other sites, for a host site's box.
    public func trending(
        host: String, reader: String? = nil, k: Int? = nil, exclude: [String] = [], tags: [String] = [],
        sites: [String] = [], now: Timestamp? = nil, visibleAt: Timestamp? = nil
    ) throws -> [RecommendedItem] {
        var tagFilter: Set<Int32>?
        if !tags.isEmpty {
            tagFilter = Set(tags.compactMap { name in model.tags.firstIndex(of: name.lowercased()).map { Int32($0) } })
        }
        let request = RecommendationRequest(
            host: try site(host), reader: reader.flatMap { readerIndex[$0] }, k: k ?? configuration.model.mix.k,
            exclude: try excluded(exclude), sites: sites.isEmpty ? nil : Set(try sites.map { try site($0) }),
            tags: tagFilter, now: now ?? model.builtAt, visibleAt: visibleAt)
        return items(model.recommend(request))
    }

    /// Answers a request in dense ids (the Swift API's general form).
    public func recommend(_ request: RecommendationRequest) -> [RecommendedItem] {
        items(model.recommend(request))
    }

    private func items(_ scored: [ScoredArticle]) -> [RecommendedItem] {
        scored.map { RecommendedItem(model: model, scored: $0) }
    }
}

extension RecommendationEngine {
    /// The same engine with posted events added to the trending scores (``RecommendationModel/addingEngagement(_:)``);
    /// the look-up indexes are shared. Events on articles or sites the model does not know are left for the next
    /// build, as are reader affinities and co-occurrence.
    /// - Returns: the engine, and how many events it took in.
    /// How many of `events` ``addingEngagement(_:)`` takes in: those on articles the model knows.
    public func applicable(_ events: [EngagementEvent]) -> Int {
        events.count { event in
            siteIndex[event.site].map { articleIndex[ArticleKey(site: $0, id: event.article)] != nil } ?? false
        }
    }

    public func addingEngagement(_ events: [EngagementEvent]) -> (engine: RecommendationEngine, applied: Int) {
        var engagement: [(article: Int32, weight: Double, reach: Double)] = []
        for event in events {
            guard let site = siteIndex[event.site], let a = articleIndex[ArticleKey(site: site, id: event.article)]
            else { continue }
            let w = configuration.model.weights.weight(event.type, value: event.value)
            let reader = event.reader.map { readerIndex[$0] ?? -1 }
            engagement.append((a, w, model.reach(reader: reader, article: a, weight: w)))
        }
        guard !engagement.isEmpty else { return (self, 0) }
        return (RecommendationEngine(copying: self, model: model.addingEngagement(engagement)), engagement.count)
    }

    /// Another model over `base`'s catalogue (posted engagement added, or another configuration's settings):
    /// the look-up indexes shared, not rebuilt.
    init(
        copying base: RecommendationEngine, model: RecommendationModel, configuration: EngineConfiguration? = nil,
        expiries: [Int64]? = nil
    ) {
        self.model = model
        self.configuration = configuration ?? base.configuration
        stamp = base.stamp
        timings = base.timings
        siteIndex = base.siteIndex
        articleIndex = base.articleIndex
        urlIndex = base.urlIndex
        readerIndex = base.readerIndex
        self.expiries = expiries ?? base.expiries
    }

    /// The same engine with stored articles' title, URL, card and expiry as `articles` give them (``RecommendationModel/updatingArticles(_:)``):
    /// an article taken down leaves the boxes at once. Articles the model does not know wait for the next build.
    /// - Returns: the engine, and how many articles it updated.
    public func updatingArticles(_ articles: [Article]) -> (engine: RecommendationEngine, applied: Int) {
        var updates: [(article: Int32, title: String?, url: String?, expiresAt: Int64?, card: ArticleCard?)] = []
        for a in articles {
            guard let site = siteIndex[a.site], let i = articleIndex[ArticleKey(site: site, id: a.externalID)] else {
                continue
            }
            updates.append((i, a.title, a.url, a.expiresAt?.milliseconds, a.card))
        }
        guard !updates.isEmpty else { return (self, 0) }
        let model = model.updatingArticles(updates)
        let expiries = model.articles.expiresAt.compactMap { $0 }.sorted()
        return (RecommendationEngine(copying: self, model: model, expiries: expiries), updates.count)
    }
}
