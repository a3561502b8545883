import Foundation
public import TrendmixCore
public import TrendmixStore

/// The formats Trendmix imports, and the importer for each.
public enum ImportFormat: String, CaseIterable, Sendable {
    /// A folder (or one file) of sites, articles, links, events and daily counts in CSV or JSON Lines.
    case canonical
    /// A Stack Exchange dump folder (Posts.xml, Users.xml, Comments.xml, Votes.xml, ...).
    case stackexchange
    /// CI&T DeskDrop's users_interactions.csv (and shared_articles.csv beside it).
    case deskdrop
    /// A MovieLens folder: 100k (u.data, u.item, u.genre) or latest (ratings.csv, movies.csv).
    case movielens

    /// Whether the source names its own sites (canonical input does; the others import into one site).
    public var namesItsSites: Bool { self == .canonical }

    /// The site a source's records go to when none is named: for Stack Exchange, what a folder named as its
    /// host (`beer.stackexchange.com`), or else `baseURL`'s host, gives; `nil` when the source names its own
    /// sites or nothing identifies the site.
    public func defaultSite(path: String, baseURL: String? = nil) -> Site? {
        switch self {
        case .canonical: nil
        case .stackexchange:
            StackExchangeImporter.site(forFolder: path)
                ?? baseURL.flatMap { URL(string: $0)?.host }.flatMap(StackExchangeImporter.site(forFolder:))
        case .deskdrop: DeskDropImporter.defaultSite
        case .movielens: MovieLensImporter.defaultSite
        }
    }

    /// The importer of `path` into `site` (``defaultSite(path:baseURL:)`` when `nil`; ignored for canonical
    /// input). Run it with ``TrendmixStore/ArticleStore/run(_:dryRun:progress:)``.
    public func importer(path: String, site: Site?) -> any Importer {
        switch self {
        case .canonical: CanonicalImporter(path: path)
        case .stackexchange: StackExchangeImporter(folder: path, site: site ?? defaultSite(path: path))
        case .deskdrop: DeskDropImporter(path: path, site: site ?? DeskDropImporter.defaultSite)
        case .movielens: MovieLensImporter(folder: path, site: site ?? MovieLensImporter.defaultSite)
        }
    }
}
