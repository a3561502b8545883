import GRDB
import TrendmixCore

/// The store's schema as numbered migrations.
///
/// A migration that has shipped is never edited: a change to the schema is a new migration appended
/// here (see CONTRIBUTING.md). Times are INTEGER milliseconds since the Unix epoch (UTC); days are
/// INTEGER days since 1970-01-01.
enum Schema {

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-sites-articles-events", migrate: v1)
        migrator.registerMigration("v2-model", migrate: v2)
        migrator.registerMigration("v3-widget-interactions", migrate: v3)
        migrator.registerMigration("v4-session-neighbours", migrate: v4)
        migrator.registerMigration("v5-reach", migrate: v5)
        migrator.registerMigration("v6-site-source", migrate: v6)
        migrator.registerMigration("v7-calibration", migrate: v7)
        migrator.registerMigration("v8-interaction-variant", migrate: v8)
        migrator.registerMigration("v9-article-cards", migrate: v9)
        return migrator
    }

    static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE site (
                    id INTEGER PRIMARY KEY,
                    slug TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    base_url TEXT NOT NULL
                );
                CREATE TABLE article (
                    id INTEGER PRIMARY KEY,
                    site_id INTEGER NOT NULL REFERENCES site(id) ON DELETE CASCADE,
                    external_id TEXT NOT NULL,
                    url TEXT,
                    title TEXT,
                    published_at INTEGER,
                    language TEXT,
                    view_count INTEGER,
                    score INTEGER,
                    UNIQUE (site_id, external_id)
                );
                CREATE INDEX article_by_site_published ON article(site_id, published_at);
                CREATE INDEX article_by_url ON article(url);
                CREATE TABLE tag (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE
                );
                CREATE TABLE article_tag (
                    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
                    tag_id INTEGER NOT NULL REFERENCES tag(id),
                    position INTEGER NOT NULL,
                    PRIMARY KEY (article_id, tag_id)
                ) WITHOUT ROWID;
                CREATE INDEX article_tag_by_tag ON article_tag(tag_id, article_id);
                CREATE TABLE reader (
                    id INTEGER PRIMARY KEY,
                    external_id TEXT NOT NULL UNIQUE
                );
                CREATE TABLE event_type (
                    code INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE
                );
                CREATE TABLE event (
                    id INTEGER PRIMARY KEY,
                    site_id INTEGER NOT NULL REFERENCES site(id),
                    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
                    reader_id INTEGER REFERENCES reader(id),
                    session TEXT,
                    type INTEGER NOT NULL REFERENCES event_type(code),
                    occurred_at INTEGER NOT NULL,
                    value REAL NOT NULL DEFAULT 1,
                    source_id TEXT NOT NULL,
                    UNIQUE (site_id, source_id)
                );
                -- No secondary index on events: the table is an append-only log keyed for idempotency, and
                -- every read of events is a scan of a time window into the scoring core's in-memory
                -- snapshot, which answers per-article and per-reader questions itself. Two history indexes
                -- (article, time) and (reader, time) made a 5M-event import take 18.2 s instead of 9.8 s
                -- (Benchmarks/import-benchmark); a later migration may add one a query truly needs, and bulk
                -- imports will drop and rebuild it on their own (SQLiteImportWriter.dropEventIndexes).
                CREATE TABLE daily_engagement (
                    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
                    day INTEGER NOT NULL,
                    views INTEGER NOT NULL DEFAULT 0,
                    votes INTEGER NOT NULL DEFAULT 0,
                    score INTEGER NOT NULL DEFAULT 0,
                    comments INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (article_id, day)
                ) WITHOUT ROWID;
                CREATE INDEX daily_engagement_by_day ON daily_engagement(day);
                CREATE TABLE article_link (
                    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
                    related_article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL CHECK (kind IN ('related', 'duplicate')),
                    PRIMARY KEY (article_id, related_article_id, kind)
                ) WITHOUT ROWID;
                """)
        let insertType = try db.makeStatement(sql: "INSERT INTO event_type(code, name) VALUES (?, ?)")
        for type in EventType.allCases {
            try insertType.execute(arguments: [type.rawValue, type.name])
        }
    }

    /// The stored model: what `trendmix build` computes and serving reads. One model at a time; a build
    /// replaces it in one transaction, so readers see either the old model or the new one.
    static func v2(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE model (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    built_for INTEGER NOT NULL,          -- the `now` the model was built for (ms)
                    computed_at INTEGER NOT NULL,        -- wall-clock time of the build (ms)
                    configuration TEXT NOT NULL,         -- the effective configuration, JSON
                    configuration_hash TEXT NOT NULL,
                    basket_count INTEGER NOT NULL,
                    window_start INTEGER,
                    window_end INTEGER
                );
                CREATE TABLE model_neighbour (
                    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
                    rank INTEGER NOT NULL,
                    neighbour_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
                    similarity REAL NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (article_id, rank)
                ) WITHOUT ROWID;
                CREATE TABLE model_article (
                    article_id INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,
                    occurrences INTEGER NOT NULL,
                    trending REAL NOT NULL,
                    recent_rate REAL NOT NULL,
                    baseline_rate REAL NOT NULL,
                    site_prior REAL NOT NULL
                );
                CREATE TABLE model_affinity (
                    reader_id INTEGER NOT NULL REFERENCES reader(id) ON DELETE CASCADE,
                    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
                    weight REAL NOT NULL,
                    PRIMARY KEY (reader_id, article_id)
                ) WITHOUT ROWID;
                """)
    }

    /// What the widgets themselves did: each item shown (impression) or clicked, with the box's placement and
    /// the item's position, so a box's performance can be measured. Idempotent by host site and id.
    static func v3(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE widget_interaction (
                    id INTEGER PRIMARY KEY,
                    host_site_id INTEGER NOT NULL REFERENCES site(id) ON DELETE CASCADE,
                    source_id TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('impression', 'click')),
                    placement TEXT NOT NULL,
                    seed_article_id INTEGER REFERENCES article(id) ON DELETE CASCADE,
                    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL CHECK (position >= 1),
                    reader TEXT,
                    occurred_at INTEGER NOT NULL,
                    UNIQUE (host_site_id, source_id)
                );
                """)
    }

    /// The model's second neighbour index, "read in the same visit" (sessions as baskets), beside
    /// `model_neighbour`, and each article's all-time engagement and first engagement (hotness and HN gravity
    /// read them); a model stored before it loads with no session index and no hotness until rebuilt.
    static func v4(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE model_session_neighbour (
                    article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
                    rank INTEGER NOT NULL,
                    neighbour_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,
                    similarity REAL NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (article_id, rank)
                ) WITHOUT ROWID;
                ALTER TABLE model_article ADD COLUMN session_occurrences INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE model_article ADD COLUMN total REAL NOT NULL DEFAULT 0;     -- all weighted engagement
                ALTER TABLE model_article ADD COLUMN first_seen INTEGER;                -- first engagement (ms)
                ALTER TABLE model ADD COLUMN session_basket_count INTEGER NOT NULL DEFAULT 0;
                """)
    }

    /// Each article's reach (``TrendingScores/reach``, what hotness reads); a model stored before it reads
    /// its all-time engagement instead until rebuilt.
    static func v5(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE model_article ADD COLUMN reach REAL;  -- readers reached, each once")
    }

    /// The source each site's records came from (``ImportWriter/claimSource(_:site:at:)``), so that a second,
    /// different source of one format is refused instead of overwriting the first one's records.
    static func v6(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE site_source (
                    site_id INTEGER PRIMARY KEY REFERENCES site(id) ON DELETE CASCADE,
                    source TEXT NOT NULL
                )
                """)
    }

    /// What the build's calibration chose per site and its backtest figures (``Calibration``, as JSON); a model
    /// stored before it loads with the configuration's settings until rebuilt.
    static func v7(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE model ADD COLUMN calibration TEXT")
    }

    /// The A/B variant whose box an impression or click came from (`serve --variant`).
    static func v8(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE widget_interaction ADD COLUMN variant TEXT")
    }

    /// Richer cards (image, author, section, description) and an expiry time on articles.
    static func v9(_ db: Database) throws {
        for column in ["image_url TEXT", "author TEXT", "section TEXT", "description TEXT", "expires_at INTEGER"] {
            try db.execute(sql: "ALTER TABLE article ADD COLUMN \(column)")
        }
    }
}
