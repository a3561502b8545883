import TrendmixCore

/// An event gathered for the next bulk write, its site and article resolved.
struct PendingEvent {
    var site: Int64
    var article: Int64
    var reader: String?
    var session: String?
    var type: Int
    var time: Int64
    var value: Double
    var sourceID: String
}

/// Events in bulk: gathered by ``appendEvent(_:at:)`` and written a batch at a time (``flush()``), with the same
/// answers as events written one by one (``addEvent(_:at:)``).
///
/// A batch goes straight into `event_key` and `event` through COPY, its ids and readers resolved first, under a
/// savepoint: the primary key of `event_key` refuses a (site, id) that is stored already or repeated. A refused
/// batch is rolled back to the savepoint and written again through a temporary table that skips the stored ids
/// and finds the repetition, and so are the next batches while they meet stored ids (a re-import or an overlap).
extension PostgresImportWriter {
    /// Checks what can be checked at once (the time, the site and the article) and gathers the event for the next
    /// bulk write (``flush()``), which finds repeated ids and new readers.
    func appendEvent(_ event: EngagementEvent, at location: SourceLocation) throws {
        try checkTime(event, at: location)
        let site = try siteID(event.site, at: location)
        let article = try articleID(
            site: site, siteSlug: event.site, externalID: event.article, field: "article", at: location)
        try ensurePartition(for: event.time.milliseconds)
        pendingEvents.append(
            PendingEvent(
                site: site, article: article, reader: event.reader, session: event.session,
                type: event.type.rawValue, time: event.time.milliseconds, value: event.value,
                sourceID: event.sourceID))
        pendingLocations.append(location)
        if pendingEvents.count >= bulkSize { try flush() }
    }

    /// Hands the gathered events to ``worker`` to be written while the import reads on (after the batch before,
    /// whose error, if it failed, is thrown here). ``settle()`` waits for them.
    ///
    /// Every ``batchesPerBulkSize`` batches the next are twice as large (up to ``largestBulkSize``): each batch
    /// written straight in takes a savepoint, a subtransaction with an id of its own, and PostgreSQL keeps at most
    /// 64 of a transaction's subtransaction ids in shared memory (`PGPROC_MAX_CACHED_SUBXIDS`); past them, every
    /// other session's snapshot looks them up in `pg_subtrans` while the import runs. At 100,000 events a batch
    /// that was 6.4M events; growing, 64 batches hold 17.6M (16 each of 100,000, 200,000 and 400,000, then 16 more
    /// of 400,000).
    func flush() throws {
        guard !pendingEvents.isEmpty else { return }
        let batch = Batch(events: pendingEvents, locations: pendingLocations, sites: siteIDs)
        pendingEvents.removeAll(keepingCapacity: true)
        pendingLocations.removeAll(keepingCapacity: true)
        batches += 1
        if batches.isMultiple(of: Self.batchesPerBulkSize), bulkSize < Self.largestBulkSize {
            bulkSize = min(2 * bulkSize, Self.largestBulkSize)
        }
        try worker.start { try self.write(batch) }
    }

    static let batchesPerBulkSize = 16
    static let largestBulkSize = 400_000

    /// A batch of gathered events, where each came from, and the sites' ids (for messages).
    struct Batch {
        var events: [PendingEvent]
        var locations: [SourceLocation]
        var sites: [String: Int64]
    }

    /// Writes a batch, on ``worker``, with ids in input order: straight through COPY, or, when a batch meets a
    /// stored or repeated id, through a temporary table that skips stored ids and refuses repeated ones (with the
    /// file and line of the repetition, as the SQLite store refuses them). The batches after one that met stored
    /// ids go through the temporary table too (a re-import meets them all along) until one meets none (an
    /// overlap has ended). Uses ``link``, never ``connection`` (which would wait for this very write).
    private func write(_ batch: Batch) throws {
        let count = batch.events.count
        let added: Int
        if !meetsStoredIDs, try copyEvents(batch.events) {
            added = count
        } else {
            added = try writeStaged(batch)
            stagedBatches += 1
            meetsStoredIDs = added < count
        }
        batchCounts.events.added += added
        batchCounts.events.unchanged += count - added
    }

    /// Writes the batch through COPY into `event_key` and `event`; false when a key is stored already or repeated
    /// (then no key or event of the batch is written; its new readers stay, and the ids it took are not given
    /// again).
    private func copyEvents(_ events: [PendingEvent]) throws -> Bool {
        try resolveReaders(events)
        let ids = try takeEventIDs(events.count)
        let readers = readerIDs
        try link.execute("SAVEPOINT bulk_events")
        do {
            // COPY's binary format: the server neither parses numbers nor undoes escapes.
            try copyRows(
                "COPY event_key(site_id, source_id, occurred_at, event_id) FROM STDIN", count: events.count,
                binary: true
            ) { i, out in
                let e = events[i]
                BinaryCopy.tuple(4, to: &out)
                BinaryCopy.int64(e.site, to: &out)
                BinaryCopy.text(e.sourceID, to: &out)
                BinaryCopy.int64(e.time, to: &out)
                BinaryCopy.int64(ids(i), to: &out)
            }
            try copyRows(
                "COPY event(id, site_id, article_id, reader_id, session, type, occurred_at, value, source_id) FROM STDIN",
                count: events.count, binary: true
            ) { i, out in
                let e = events[i]
                BinaryCopy.tuple(9, to: &out)
                BinaryCopy.int64(ids(i), to: &out)
                BinaryCopy.int64(e.site, to: &out)
                BinaryCopy.int64(e.article, to: &out)
                BinaryCopy.int64(e.reader.flatMap { readers[$0] }, to: &out)
                BinaryCopy.text(e.session, to: &out)
                BinaryCopy.int32(Int32(truncatingIfNeeded: e.type), to: &out)
                BinaryCopy.int64(e.time, to: &out)
                BinaryCopy.double(e.value, to: &out)
                BinaryCopy.text(e.sourceID, to: &out)
            }
            try link.execute("RELEASE SAVEPOINT bulk_events")
            return true
        } catch let error as PostgresError where error.code == "23505" {
            try link.execute("ROLLBACK TO SAVEPOINT bulk_events")
            return false
        }
    }

    /// Streams `count` rows into `sql` (a `COPY … FROM STDIN`), `row` appending the i-th row: a line of COPY's
    /// text format, or with `binary` a tuple of its binary format (the header and trailer are added here).
    private func copyRows(
        _ sql: String, count: Int, binary: Bool = false, _ row: (Int, inout [UInt8]) -> Void
    ) throws {
        var next = 0
        var header = binary
        var trailer = binary
        try link.copyIn(binary ? sql + " WITH (FORMAT binary)" : sql) { out in
            if header {
                out.append(contentsOf: BinaryCopy.header)
                header = false
            }
            guard next < count else {
                guard trailer else { return false }
                out.append(contentsOf: BinaryCopy.trailer)
                trailer = false
                return true
            }
            let end = min(next + 4096, count)
            for i in next..<end { row(i, &out) }
            next = end
            return true
        }
    }

    /// Stores the batch's readers not met yet, in the order they first appear, and learns the ids of all of them.
    private func resolveReaders(_ events: [PendingEvent]) throws {
        if readerIDs.count > readerCacheLimit { readerIDs.removeAll(keepingCapacity: true) }
        var unknown: [String] = []
        var seen: Set<String> = []
        for e in events {
            if let reader = e.reader, readerIDs[reader] == nil, seen.insert(reader).inserted { unknown.append(reader) }
        }
        guard !unknown.isEmpty else { return }
        if readersStaged {
            try link.execute("TRUNCATE reader_stage")
        } else {
            try link.execute(
                "CREATE TEMPORARY TABLE reader_stage (ord bigint, external_id text COLLATE \"C\") ON COMMIT DROP")
            readersStaged = true
        }
        try copyRows("COPY reader_stage FROM STDIN", count: unknown.count) { i, out in
            appendCopyLine([.integer(Int64(i)), .text(unknown[i])], to: &out)
        }
        let added = try link.query(
            """
            WITH added AS (
                INSERT INTO reader(external_id) SELECT external_id FROM reader_stage ORDER BY ord
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*) FROM added
            """)
        batchCounts.readers.added += added.int(0, 0) ?? 0
        // One look-up in reader's unique index each: a join would read the whole table for every batch (the stage
        // has no statistics), 65 against 0.7 ms for 6,000 readers among 250,000.
        let rows = try link.query(
            "SELECT s.ord, (SELECT r.id FROM reader r WHERE r.external_id = s.external_id) FROM reader_stage s")
        var resolved = 0
        for r in 0..<rows.count {
            guard let ord = rows.int(r, 0), unknown.indices.contains(ord), let id = rows.int64(r, 1) else { continue }
            readerIDs[unknown[ord]] = id
            resolved += 1
        }
        guard resolved == unknown.count else {
            throw StoreError.corrupt(reason: "\(unknown.count - resolved) readers just stored have no id")
        }
    }

    /// Takes `count` ids from `event_id_seq`, increasing, for a batch in input order: a run of consecutive ids
    /// unless another writer took some meanwhile, then the ids themselves.
    private func takeEventIDs(_ count: Int) throws -> (Int) -> Int64 {
        let taken = "SELECT nextval('event_id_seq') AS v FROM generate_series(1, $1)"
        let range = try link.query("SELECT min(v), max(v) FROM (\(taken)) s", [count])
        if let low = range.int64(0, 0), let high = range.int64(0, 1), high - low + 1 == Int64(count) {
            return { low + Int64($0) }
        }
        let rows = try link.query("SELECT v FROM (\(taken)) s ORDER BY v", [count])
        let ids = (0..<rows.count).map { rows.int64($0, 0) ?? 0 }
        return { ids[$0] }
    }

    /// Writes the batch through a temporary table: the new readers (in the order they first appear), a check for
    /// ids this import repeats, and the events whose (site, id) is not stored yet. Returns how many were written.
    private func writeStaged(_ batch: Batch) throws -> Int {
        let count = batch.events.count
        if staged {
            try link.execute("TRUNCATE event_stage")
        } else {
            try link.execute(
                """
                CREATE TEMPORARY TABLE event_stage (
                    ord bigint, site_id bigint, article_id bigint, reader text COLLATE "C", session text COLLATE "C",
                    type integer, occurred_at bigint, value double precision, source_id text COLLATE "C"
                ) ON COMMIT DROP
                """)
            staged = true
        }
        let events = batch.events
        try copyRows("COPY event_stage FROM STDIN", count: count) { i, out in
            let e = events[i]
            appendCopyLine(
                [
                    .integer(Int64(i)), .integer(e.site), .integer(e.article), .text(e.reader), .text(e.session),
                    .integer(Int64(e.type)), .integer(e.time), .double(e.value), .text(e.sourceID),
                ], to: &out)
        }
        let readers = try link.query(
            """
            WITH added AS (
                INSERT INTO reader(external_id)
                SELECT reader FROM event_stage WHERE reader IS NOT NULL GROUP BY reader ORDER BY min(ord)
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*) FROM added
            """)
        batchCounts.readers.added += readers.int(0, 0) ?? 0
        // Ids up to here are this import's earlier writes (or older); the ones given below are larger.
        let flushStart = try Self.lastEventID(link)
        let added = try link.query(Self.insertEvents).int(0, 0) ?? 0
        if added < count {
            // Some ids were stored already: before this import (unchanged, however often the import gives them),
            // or by it (refused, as the SQLite store refuses them, at the first repetition in input order).
            let repeated = try link.query(
                """
                SELECT s.ord, s.source_id, s.site_id FROM event_stage s
                WHERE s.ord = (SELECT min(ord) FROM (
                    SELECT (array_agg(ord ORDER BY ord))[2] AS ord FROM event_stage g
                    WHERE NOT EXISTS (
                        SELECT 1 FROM event_key k
                        WHERE k.site_id = g.site_id AND k.source_id = g.source_id AND k.event_id <= $1)
                    GROUP BY site_id, source_id HAVING count(*) > 1
                    UNION ALL
                    SELECT e.ord FROM event_stage e JOIN event_key k USING (site_id, source_id)
                    WHERE k.event_id > $1 AND k.event_id <= $2) x)
                """, [eventBaseline, flushStart])
            if repeated.count > 0, let ord = repeated.int(0, 0) {
                let site = batch.sites.first { $0.value == repeated.int64(0, 2) }?.key ?? "?"
                throw ImportError.conflict(
                    batch.locations[ord], field: "id",
                    reason: "event id '\(repeated.string(0, 1) ?? "")' of site '\(site)' appears twice in this import")
            }
        }
        return added
    }

    /// The statement that writes the staged events whose (site, id) is new, in input order, with their keys. The
    /// keys inserted are counted apart from the events, since an id repeated within the staged events would join
    /// twice (the import then fails, and rolls back).
    private static let insertEvents = """
        WITH k AS (
            INSERT INTO event_key(site_id, source_id, occurred_at, event_id)
            SELECT site_id, source_id, occurred_at, nextval('event_id_seq') FROM event_stage ORDER BY ord
            ON CONFLICT DO NOTHING RETURNING site_id, source_id, event_id),
        e AS (
            INSERT INTO event(id, site_id, article_id, reader_id, session, type, occurred_at, value, source_id)
            SELECT k.event_id, s.site_id, s.article_id,
                   (SELECT r.id FROM reader r WHERE r.external_id = s.reader),
                   s.session, s.type, s.occurred_at, s.value, s.source_id
            FROM k JOIN event_stage s USING (site_id, source_id)
            RETURNING 1)
        SELECT (SELECT count(*) FROM k), (SELECT count(*) FROM e)
        """
}

extension PostgresImportWriter {
    /// The largest id `event_id_seq` has given (0 before the first): every id it gives later is larger.
    static func lastEventID(_ c: PostgresConnection) throws -> Int64 {
        try c.query("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM event_id_seq").int64(0, 0) ?? 0
    }
}
