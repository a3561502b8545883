import Foundation
public import TrendmixStore

/// The README's first command: a fresh SQLite file with the demo data of `Data/` imported.
public enum Demo {
    /// What the demo did.
    public struct Result: Sendable {
        public var databasePath: String
        public var summary: ImportSummary
        public var statistics: StoreStatistics
        /// The built engine, and the boxes the demo shows.
        public var engine: RecommendationEngine
        public var mixHost: String
        public var mix: [RecommendedItem]
        public var relatedSeed: RecommendedItem?
        public var related: [RecommendedItem]
        /// The demo's widgets (every site and every article) and their preview page.
        public var widgets: WidgetJob.Summary
    }

    /// Deletes any earlier demo database at `databasePath`, creates a new one and imports `dataFolder`
    /// (canonical format). A file there that is not an earlier demo's (another application's database, or a
    /// Trendmix database with sites the demo data does not have) is left alone and the demo refuses to run.
    /// - Throws: ``ImportError`` when the demo data is missing or damaged; ``StoreError`` when the database
    ///   cannot be created or is another application's; ``DemoError`` when it holds other data.
    public static func run(
        dataFolder: String, databasePath: String, widgetsFolder: String, progress: ImportProgress? = nil
    ) async throws -> Result {
        if FileManager.default.fileExists(atPath: databasePath) {
            let sites = try Stores.open(databasePath).sites().map(\.slug)
            let demo = try demoSites(dataFolder)
            if let other = sites.first(where: { !demo.contains($0) }) {
                throw DemoError.notADemoDatabase(databasePath, site: other)
            }
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = databasePath + suffix
            if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(atPath: file) }
        }
        let store = try Stores.open(databasePath)
        let summary = try store.run(ImportFormat.canonical.importer(path: dataFolder, site: nil), progress: progress)
        let statistics = try store.statistics()
        let engine = try await RecommendationEngine.build(store: store, configuration: EngineConfiguration())
        try await engine.save(to: store)
        // The box for the site with the most events, and related articles for its most engaged question that
        // readers of other sites also read.
        let host = statistics.sites.max { ($0.events, $1.slug) < ($1.events, $0.slug) }?.slug ?? ""
        let mix = try host.isEmpty ? [] : engine.trending(host: host)
        let model = engine.model
        var best: Int?
        for a in 0..<model.articles.count where model.sites[Int(model.articles.site[a])].slug == host {
            let crossSite = model.neighbours.row(a).contains {
                model.articles.site[Int(model.neighbours.neighbours[$0])] != model.articles.site[a]
            }
            guard crossSite else { continue }
            if best.map({ model.neighbours.occurrences[a] > model.neighbours.occurrences[$0] }) ?? true { best = a }
        }
        var seedItem: RecommendedItem?
        var related: [RecommendedItem] = []
        if let seed = best {
            related = try engine.related(site: host, article: model.articles.externalID[seed])
            seedItem = RecommendedItem.describe(model: model, article: Int32(seed))
        }
        var options = WidgetJob.Options()
        options.perArticle = true
        options.database = databasePath
        let widgets = try WidgetJob(engine: engine, options: options).run(to: widgetsFolder)
        return Result(
            databasePath: databasePath, summary: summary, statistics: statistics, engine: engine, mixHost: host,
            mix: mix, relatedSeed: seedItem, related: related, widgets: widgets)
    }

    /// The slugs of the demo data's sites, read by the canonical importer into a store in memory.
    static func demoSites(_ dataFolder: String) throws -> Set<String> {
        let sites = try SQLiteArticleStore()
        _ = try sites.run(CanonicalImporter(path: (dataFolder as NSString).appendingPathComponent("sites.csv")))
        return Set(try sites.sites().map(\.slug))
    }
}

/// Why the demo would not run.
public enum DemoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database file holds data that is not the demo's: it is not replaced.
    case notADemoDatabase(String, site: String)

    public var description: String {
        switch self {
        case .notADemoDatabase(let path, let site):
            "\(path) holds data that is not the demo's (site '\(site)'); the demo replaces its database whole, "
                + "so it leaves this one alone: name another --db"
        }
    }
}
