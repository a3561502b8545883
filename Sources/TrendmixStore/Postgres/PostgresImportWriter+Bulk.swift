import TrendmixCore

/// Events in bulk: gathered by ``appendEvent(_:at:)`` and written a batch at a time through COPY into a temporary
/// table (``flush()``), with the same answers as events written one by one (``addEvent(_:at:)``).
extension PostgresImportWriter {
    /// Checks what can be checked at once (the time, the site and the article) and gathers the event for the next
    /// bulk write (``flush()``), which finds repeated ids and new readers.
    func appendEvent(_ event: EngagementEvent, at location: SourceLocation) throws {
        try checkTime(event, at: location)
        let site = try siteID(event.site, at: location)
        let article = try articleID(
            site: site, siteSlug: event.site, externalID: event.article, field: "article", at: location)
        try ensurePartition(for: event.time.milliseconds)
        let fields: [String?] = [
            String(pendingLocations.count), String(site), String(article), event.reader, event.session,
            String(event.type.rawValue), String(event.time.milliseconds), event.value.postgresText, event.sourceID,
        ]
        for (i, field) in fields.enumerated() {
            if i > 0 { pendingRows.append(9) }
            if let field { appendCopyText(field, to: &pendingRows) } else { pendingRows.append(contentsOf: [92, 78]) }
        }
        pendingRows.append(10)
        pendingLocations.append(location)
        if pendingLocations.count >= bulkSize { try flush() }
    }

    /// Writes the gathered events: COPY into a temporary table, then the new readers (in the order they first
    /// appear), a check for ids this import repeats (refused with the file and line of the repetition, as the
    /// SQLite store refuses them), and the events whose (site, id) is not stored yet, with ids in input order.
    func flush() throws {
        guard !pendingLocations.isEmpty else { return }
        let count = pendingLocations.count
        if staged {
            try connection.execute("TRUNCATE event_stage")
        } else {
            try connection.execute(
                """
                CREATE TEMPORARY TABLE event_stage (
                    ord bigint, site_id bigint, article_id bigint, reader text COLLATE "C", session text COLLATE "C",
                    type integer, occurred_at bigint, value double precision, source_id text COLLATE "C"
                ) ON COMMIT DROP
                """)
            staged = true
        }
        var sent = false
        try connection.copyIn("COPY event_stage FROM STDIN") { out in
            guard !sent else { return false }
            swap(&out, &pendingRows)
            sent = true
            return true
        }
        pendingRows.removeAll(keepingCapacity: true)
        let readers = try connection.query(
            """
            WITH added AS (
                INSERT INTO reader(external_id)
                SELECT reader FROM event_stage WHERE reader IS NOT NULL GROUP BY reader ORDER BY min(ord)
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*) FROM added
            """)
        summary.readers.added += readers.int(0, 0) ?? 0
        // Until a batch meets a stored id, the keys go in with a plain INSERT under a savepoint: the unique index
        // checks them as it inserts them, where ON CONFLICT searches it once more first (270 against 460 ms for
        // 100,000 keys). A batch that meets one is rolled back to the savepoint and written again skipping the
        // stored ids, and so are the rest of the import's batches (a re-import or an overlap).
        var written: Int?
        if !meetsStoredIDs {
            try connection.execute("SAVEPOINT bulk_events")
            do {
                written = try connection.query(Self.insertEvents(skippingStored: false)).int(0, 0) ?? 0
                try connection.execute("RELEASE SAVEPOINT bulk_events")
            } catch let error as PostgresError where error.code == "23505" {
                try connection.execute("ROLLBACK TO SAVEPOINT bulk_events")
                meetsStoredIDs = true
            }
        }
        // Ids up to here are this import's earlier writes (or older); the ones given below are larger. Read after
        // the savepoint's rollback: the ids the rolled-back statement took are never given again.
        let flushStart =
            try connection.query("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM event_id_seq")
            .int64(0, 0) ?? 0
        let added = try written ?? connection.query(Self.insertEvents(skippingStored: true)).int(0, 0) ?? 0
        if added < count {
            // Some ids were stored already: before this import (unchanged), or by it (refused, as the SQLite store
            // refuses them, at the first repetition in input order).
            let repeated = try connection.query(
                """
                SELECT s.ord, s.source_id, s.site_id FROM event_stage s
                WHERE s.ord = (SELECT min(ord) FROM (
                    SELECT (array_agg(ord ORDER BY ord))[2] AS ord FROM event_stage
                    GROUP BY site_id, source_id HAVING count(*) > 1
                    UNION ALL
                    SELECT e.ord FROM event_stage e JOIN event_key k USING (site_id, source_id)
                    WHERE k.event_id > $1 AND k.event_id <= $2) x)
                """, [eventBaseline, flushStart])
            if repeated.count > 0, let ord = repeated.int(0, 0) {
                let site = siteIDs.first { $0.value == repeated.int64(0, 2) }?.key ?? "?"
                throw ImportError.conflict(
                    pendingLocations[ord], field: "id",
                    reason: "event id '\(repeated.string(0, 1) ?? "")' of site '\(site)' appears twice in this import")
            }
        }
        summary.events.added += added
        summary.events.unchanged += count - added
        pendingLocations.removeAll(keepingCapacity: true)
    }

    /// The statement that writes the staged events whose (site, id) is new, in input order, with their keys. The
    /// keys inserted are counted apart from the events, since an id repeated within the staged events would join
    /// twice (the import then fails, and rolls back). Without `skippingStored`, a stored id is a unique violation.
    private static func insertEvents(skippingStored: Bool) -> String {
        """
        WITH k AS (
            INSERT INTO event_key(site_id, source_id, occurred_at, event_id)
            SELECT site_id, source_id, occurred_at, nextval('event_id_seq') FROM event_stage ORDER BY ord
            \(skippingStored ? "ON CONFLICT DO NOTHING" : "") RETURNING site_id, source_id, event_id),
        e AS (
            INSERT INTO event(id, site_id, article_id, reader_id, session, type, occurred_at, value, source_id)
            SELECT k.event_id, s.site_id, s.article_id, r.id, s.session, s.type, s.occurred_at, s.value, s.source_id
            FROM k JOIN event_stage s USING (site_id, source_id) LEFT JOIN reader r ON r.external_id = s.reader
            RETURNING 1)
        SELECT (SELECT count(*) FROM k), (SELECT count(*) FROM e)
        """
    }
}

/// Appends `text` as a field of COPY's text format: backslash, tab, line feed and carriage return escaped.
func appendCopyText(_ text: String, to out: inout [UInt8]) {
    for byte in text.utf8 {
        switch byte {
        case 92: out.append(contentsOf: [92, 92])
        case 9: out.append(contentsOf: [92, 116])
        case 10: out.append(contentsOf: [92, 110])
        case 13: out.append(contentsOf: [92, 114])
        default: out.append(byte)
        }
    }
}
