import Foundation
public import TrendmixCore

/// Imports a MovieLens data set (GroupLens) as one partner site whose articles are movies.
///
/// Both layouts are recognised by their files:
/// - **100k** (`u.data`, `u.item`, `u.genre`): tab-separated `user item rating timestamp`; `u.item` is
///   `|`-separated and ISO 8859-1 encoded, with 19 genre flags named by `u.genre`; the release date
///   (`01-Jan-1995`) is the publish time.
/// - **latest** (`ratings.csv`, `movies.csv`, optional `tags.csv`): CSV with headers; genres are
///   `|`-separated, `(no genres listed)` means none; user tags become movie tags.
/// Genres become tags; each rating becomes a `rating` event whose value is the stars, reader `ml:<userId>`
/// (`ml:<slug>:<userId>` on a site other than `movielens`),
/// id `u<userId>:m<movieId>` (MovieLens keeps one rating per user and movie).
public struct MovieLensImporter: Importer {
    public let folder: String
    public let site: Site

    public static let defaultSite = Site(
        slug: "movielens", name: "MovieLens", kind: "catalog", baseURL: "https://movielens.org")

    public init(folder: String, site: Site = Self.defaultSite) {
        self.folder = folder
        self.site = site
    }

    private func file(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// Readers are per site (MovieLens users are not the same people across data sets): `ml:<userId>` on the
    /// default site, as before, `ml:<slug>:<userId>` on another.
    private var readerPrefix: String { site.slug == Self.defaultSite.slug ? "ml:" : "ml:\(site.slug):" }
    private func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

    public func run(into writer: any ImportWriter, progress: ImportProgress?) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImportError.unreadable(file: folder, reason: "expected a MovieLens folder (u.data or ratings.csv)")
        }
        try writer.upsertSite(site, at: SourceLocation(file: folder))
        // 100k and latest number movies and users differently (movie 2 is GoldenEye in one, Jumanji in the other):
        // one site holds one of them. The latest releases (small, full) share their ids.
        let variant = exists("u.data") ? "movielens-100k" : "movielens-latest"
        try writer.claimSource(variant, site: site.slug, at: SourceLocation(file: folder))
        if exists("u.data") {
            try run100k(writer, progress)
        } else if exists("ratings.csv") {
            try runLatest(writer, progress)
        } else {
            throw ImportError.unreadable(
                file: folder, reason: "neither u.data (MovieLens 100k) nor ratings.csv (ml-latest) is in the folder")
        }
    }

    // MARK: 100k

    private func run100k(_ writer: any ImportWriter, _ progress: ImportProgress?) throws {
        for name in ["u.item", "u.genre"] where !exists(name) {
            throw ImportError.unreadable(
                file: file(name), reason: "missing; MovieLens 100k needs u.data, u.item and u.genre")
        }
        let total = ProgressTotal(files: ["u.genre", "u.item", "u.data"].map { fileSize(file($0)) }, report: progress)
        // u.genre: `name|index`.
        let genreTable = try CSVTable(
            path: file("u.genre"), required: [], delimiter: UInt8(ascii: "|"), fixedColumns: ["name", "index"],
            quoting: false)
        var genres: [Int: String] = [:]
        while try genreTable.reader.next() {
            guard genreTable.reader.count == 2 else {
                throw ImportError.wrongFieldCount(genreTable.location, expected: 2, found: genreTable.reader.count)
            }
            let name = try genreTable.required("name")
            let indexText = try genreTable.required("index")
            guard let index = Int(indexText), (0..<19).contains(index), genres[index] == nil else {
                throw ImportError.invalidField(
                    genreTable.location, field: "index", value: indexText, reason: "expected a new index from 0 to 18")
            }
            genres[index] = try FieldRules.tag(name, field: "name", at: genreTable.location)
        }
        guard genres.count == 19 else {
            throw ImportError.invalidField(
                SourceLocation(file: file("u.genre")), field: "index", value: String(genres.count),
                reason: "expected 19 genres")
        }
        total.finishFile(genreTable.reader.fileSize)

        let itemColumns =
            ["movie id", "title", "release date", "video release date", "IMDb URL"]
            + (0..<19).map { "genre \($0)" }
        let items = try CSVTable(
            path: file("u.item"), required: [], delimiter: UInt8(ascii: "|"), fixedColumns: itemColumns, quoting: false)
        while try items.next() {
            let at = items.location
            let id = try Self.positiveID(items, "movie id")
            let title = items.reader.latin1(1)
            let release = try items.text("release date").map { try Self.releaseDate($0, at: at) }
            // Some IMDb URLs hold raw ISO 8859-1 letters; a URL that is not a clean http(s) URL is left out.
            let url =
                items.reader.isEmpty(4) ? nil : try? FieldRules.url(items.reader.latin1(4), field: "IMDb URL", at: at)
            var tags: [String] = []
            for index in 0..<19 {
                let flag = try items.required("genre \(index)")
                guard flag == "0" || flag == "1" else {
                    throw ImportError.invalidField(at, field: "genre \(index)", value: flag, reason: "expected 0 or 1")
                }
                if flag == "1", let genre = genres[index] { tags.append(genre) }
            }
            try writer.upsertArticle(
                Article(
                    site: site.slug, externalID: id, url: url,
                    title: try FieldRules.title(title, field: "title", at: at), publishedAt: release, language: "en",
                    tags: tags), at: at)
        }
        total.finishFile(items.reader.fileSize)

        let ratings = try CSVTable(
            path: file("u.data"), required: [], delimiter: UInt8(ascii: "\t"),
            fixedColumns: ["user id", "item id", "rating", "timestamp"], quoting: false)
        var n = 0
        while try ratings.next() {
            try rating(ratings, user: "user id", item: "item id", writer: writer)
            n += 1
            if n & 0x3FFF == 0 { total.update(ratings.reader.bytesRead) }
        }
        if n == 0 { throw ImportError.empty(file: file("u.data")) }
        total.finishFile(ratings.reader.fileSize)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses `01-Jan-1995`.
    static func releaseDate(_ text: String, at location: SourceLocation) throws -> Timestamp {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let day = Int64(parts[0]), let month = months.firstIndex(of: parts[1].lowercased()),
            let year = Int64(parts[2]), let t = Timestamp(year: year, month: Int64(month) + 1, day: day),
            t.isInAcceptedRange
        else {
            throw ImportError.invalidField(
                location, field: "release date", value: text, reason: "expected a date like 01-Jan-1995")
        }
        return t
    }

    // MARK: latest

    private func runLatest(_ writer: any ImportWriter, _ progress: ImportProgress?) throws {
        guard exists("movies.csv") else {
            throw ImportError.unreadable(
                file: file("movies.csv"), reason: "missing; ml-latest needs movies.csv and ratings.csv")
        }
        let names = ["movies.csv", "ratings.csv"] + (exists("tags.csv") ? ["tags.csv"] : [])
        let total = ProgressTotal(files: names.map { fileSize(file($0)) }, report: progress)
        let movies = try CSVTable(path: file("movies.csv"), required: ["movieId", "title", "genres"])
        while try movies.next() {
            let at = movies.location
            let id = try Self.positiveID(movies, "movieId")
            let genreText = try movies.text("genres") ?? ""
            let genres = genreText == "(no genres listed)" ? [] : genreText.split(separator: "|").map(String.init)
            try writer.upsertArticle(
                Article(
                    site: site.slug, externalID: id, url: "\(site.baseURL)/movies/\(id)",
                    title: try FieldRules.title(movies.required("title"), field: "title", at: at), language: "en",
                    tags: try FieldRules.tags(genres, field: "genres", at: at)), keepingOtherTags: true, at: at)
        }
        total.finishFile(movies.reader.fileSize)

        let ratings = try CSVTable(path: file("ratings.csv"), required: ["userId", "movieId", "rating", "timestamp"])
        var n = 0
        while try ratings.next() {
            try rating(ratings, user: "userId", item: "movieId", writer: writer)
            n += 1
            if n & 0x3FFF == 0 { total.update(ratings.reader.bytesRead) }
        }
        total.finishFile(ratings.reader.fileSize)

        if exists("tags.csv") {
            let tags = try CSVTable(path: file("tags.csv"), required: ["userId", "movieId", "tag", "timestamp"])
            while try tags.next() {
                let at = tags.location
                _ = try Self.positiveID(tags, "userId")
                let movie = try Self.positiveID(tags, "movieId")
                _ = try Self.seconds(tags, "timestamp")
                let tag = try FieldRules.tag(tags.required("tag"), field: "tag", at: at)
                try writer.addTag(tag, site: site.slug, article: movie, at: at)
            }
            total.finishFile(tags.reader.fileSize)
        }
    }

    // MARK: Shared

    private func rating(_ table: CSVTable, user: String, item: String, writer: any ImportWriter) throws {
        let at = table.location
        let userID = try Self.positiveID(table, user)
        let movie = try Self.positiveID(table, item)
        let starsText = try table.required(table.columns[2])
        guard let stars = Double(starsText), stars >= 0, stars <= 10 else {
            throw ImportError.invalidField(
                at, field: table.columns[2], value: starsText, reason: "expected a rating from 0 to 10")
        }
        let time = try Self.seconds(table, table.columns[3])
        try writer.appendEvent(
            EngagementEvent(
                sourceID: "u\(userID):m\(movie)", site: site.slug, article: movie, reader: readerPrefix + userID,
                type: .rating,
                time: time, value: stars), at: at)
    }

    private static func positiveID(_ table: CSVTable, _ field: String) throws -> String {
        let text = try table.required(field)
        guard let n = Int64(text), n > 0 else {
            throw ImportError.invalidField(
                table.location, field: field, value: text, reason: "not a positive whole number")
        }
        return String(n)
    }

    private static func seconds(_ table: CSVTable, _ field: String) throws -> Timestamp {
        let text = try table.required(field)
        guard let s = Int64(text), Timestamp(seconds: s).isInAcceptedRange else {
            throw ImportError.invalidField(
                table.location, field: field, value: text, reason: "not Unix seconds between 1900 and 2200")
        }
        return Timestamp(seconds: s)
    }
}
