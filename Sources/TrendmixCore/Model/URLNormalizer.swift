/// One spelling for the URLs of one page, so a lookup by URL finds the article however the link was written.
///
/// `HTTPS://News.Example.com/a/?utm_source=x&id=3#top` and `https://news.example.com/a?id=3` are the same key:
/// the scheme and host are lowercased, a default port, the fragment, a trailing slash of the path and the
/// tracking parameters (`utm_*`, `fbclid`, `gclid`, `mc_cid`, `mc_eid`, `ref`, `ref_src`) are removed, and the
/// other parameters keep their order. The path keeps its case (servers may tell `/A` from `/a`).
public enum URLNormalizer {
    static let tracking: Set<String> = ["fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ref", "ref_src"]

    /// The normalised key of an `http(s)` URL; any other text as it is.
    public static func normalize(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return url }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return url }
        var rest = Substring(url[schemeEnd.upperBound...])
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var host = rest[..<authorityEnd].lowercased()
        if scheme == "http", host.hasSuffix(":80") { host.removeLast(3) }
        if scheme == "https", host.hasSuffix(":443") { host.removeLast(4) }
        var path = rest[authorityEnd...]
        var query: Substring = ""
        if let q = path.firstIndex(of: "?") {
            query = path[path.index(after: q)...]
            path = path[..<q]
        }
        while path.hasSuffix("/") { path.removeLast() }
        let kept = query.split(separator: "&").filter { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map { $0.lowercased() } ?? ""
            return !name.isEmpty && !name.hasPrefix("utm_") && !tracking.contains(name)
        }
        return scheme + "://" + host + path + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }
}
