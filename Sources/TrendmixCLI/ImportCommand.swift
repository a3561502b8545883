import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import partner data into the database, in one transaction.",
        discussion: """
            Formats:
              canonical      a folder (or one file) of sites, articles, links, events and daily in CSV or JSON Lines
              stackexchange  a Stack Exchange dump folder (Posts.xml, Users.xml, Comments.xml, Votes.xml, ...)
              deskdrop       CI&T DeskDrop's users_interactions.csv
              movielens      a MovieLens folder: 100k (u.data, u.item, u.genre) or latest (ratings.csv, movies.csv)
            Importing the same input twice adds nothing. On bad input nothing is imported, and a database file
            the command created is removed again (as after --dry-run).
            """)

    @Argument(help: "The input format: canonical, stackexchange, deskdrop or movielens.")
    var format: ImportFormat

    @Argument(help: "The file or folder to import.")
    var path: String

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Read and check everything, then roll back: report what would be imported.")
    var dryRun = false

    @Option(help: "Site slug for stackexchange, deskdrop and movielens (default: from the source).")
    var siteSlug: String?

    @Option(help: "Site display name (with --site-slug).")
    var siteName: String?

    @Option(help: "Site kind, e.g. news, travel, blog, lifestyle, qa (with --site-slug).")
    var siteKind: String?

    @Option(
        help:
            "Site base URL: for a Stack Exchange folder not named as its host (beer rather than beer.stackexchange.com), or with --site-slug."
    )
    var baseURL: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if let siteSlug, !Site.isValidSlug(siteSlug) {
            throw ValidationError("--site-slug must be 1 to 64 characters of a-z, 0-9, '.', '-' or '_'")
        }
        if siteSlug == nil, siteName != nil || siteKind != nil {
            throw ValidationError("--site-name and --site-kind go with --site-slug")
        }
        if format.namesItsSites, siteSlug != nil {
            throw ValidationError("canonical input names its own sites; --site-slug does not apply")
        }
        if let baseURL, !(baseURL.hasPrefix("https://") || baseURL.hasPrefix("http://")) {
            throw ValidationError("--base-url must start with http:// or https://")
        }
        if let siteKind, !Site.isValidSlug(siteKind) {
            throw ValidationError("--site-kind must be 1 to 64 characters of a-z, 0-9, '.', '-' or '_'")
        }
    }

    /// The site the options name, over what the source gives (`fallback`; for Stack Exchange, what the folder's
    /// name gives, if anything). A base URL is never invented: without `--base-url` it is the source's own.
    private func site(default fallback: Site?) throws -> Site? {
        let baseURL = self.baseURL.map(URLNormalizer.normalize)
        guard let siteSlug else {
            guard let fallback, let baseURL else { return fallback }
            return Site(slug: fallback.slug, name: siteName ?? fallback.name, kind: fallback.kind, baseURL: baseURL)
        }
        guard let base = baseURL ?? fallback?.baseURL else {
            throw ValidationError(
                "--base-url is needed with --site-slug here: the folder's name is not the host name of a public "
                    + "dump (such as beer.stackexchange.com), so the site's address is unknown")
        }
        return Site(slug: siteSlug, name: siteName ?? siteSlug, kind: siteKind ?? fallback?.kind ?? "qa", baseURL: base)
    }

    func run() async throws {
        try await reportingErrors {
            let importer = format.importer(
                path: path, site: try site(default: format.defaultSite(path: path, baseURL: baseURL)))
            let bar = ProgressBar(label: "importing \((path as NSString).lastPathComponent)")
            let started = Date()
            var summary = ImportSummary()
            try Stores.withStore(creatingIfNeeded: database.db) { store in
                summary = try store.run(importer, dryRun: dryRun) { bar.update(done: $0, total: $1) }
                return !dryRun
            }
            bar.finish()
            let seconds = Date().timeIntervalSince(started)
            if json {
                try printJSON(summary)
            } else {
                print(summary.text)
                print(String(format: "done in %.2f s", seconds))
            }
        }
    }
}
