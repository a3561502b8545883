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
}
