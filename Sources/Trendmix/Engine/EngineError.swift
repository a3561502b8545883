import Foundation
import TrendmixCore
import TrendmixStore

/// Why a query could not be answered.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    case noModel
    case unknownSite(String)
    case unknownArticle(String, site: String?)
    case ambiguousArticle(String, sites: [String])

    public var description: String {
        switch self {
        case .noModel: "no model has been built yet; run 'trendmix build' first"
        case .unknownSite(let slug): "no site '\(slug)'"
        case .unknownArticle(let id, let site):
            site.map { "no article '\(id)' on site '\($0)'" } ?? "no article '\(id)'"
        case .ambiguousArticle(let id, let sites):
            "article id '\(id)' exists on several sites (\(sites.joined(separator: ", "))); name one as site:id, "
                + "or with --site"
        }
    }
}
