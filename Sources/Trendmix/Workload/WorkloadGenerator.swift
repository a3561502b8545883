import Foundation
public import TrendmixCore

/// Parameters a workload cannot be generated with.
public enum GeneratorError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidParameters(String)

    public var description: String {
        switch self {
        case .invalidParameters(let reason): "invalid workload parameters: \(reason)"
        }
    }
}

/// A seeded synthetic workload in the canonical format, for load and scale tests.
///
/// The model, chosen so that the scoring core meets what real sites show:
/// - **Sites** of different kinds (news, travel, blog, lifestyle, ...), each with its own article lifetime:
///   news is hot for a day or two, a travel guide for weeks.
/// - **Articles** with publish times spread over the span (and some before it), 1 to 4 tags drawn from a
///   Zipf-distributed vocabulary, and a fixed heavy-tailed *quality*.
/// - **Popularity that shifts**: each event picks, with probability `freshShare`, a *fresh* article — an age
///   drawn from an exponential with the site's lifetime, the article published closest to that moment,
///   accepted in proportion to its quality — and otherwise an *evergreen* one by a Zipf law over the site's
///   catalogue. New articles therefore burst and fade, so things trend.
/// - **Readers** with Zipf activity (a few heavy readers, a long tail), a home site, and a chance per visit
///   (`crossSiteShare`) of reading another partner site instead.
/// - **Sessions**: visits of geometric length (mean `meanSessionLength`), events a minute or so apart,
///   visits spread evenly over the span so the events file is nearly in time order.
/// The same parameters and seed give byte-identical files.
public struct WorkloadGenerator: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Number of partner sites (kinds cycle through news, travel, blog, lifestyle).
        public var sites = 4
        public var articles = 10_000
        public var readers = 50_000
        public var events = 1_000_000
        /// Length of the period the events cover.
        public var days = 30
        /// The end of the period (exclusive).
        public var end = Timestamp(seconds: 1_767_225_600)  // 2026-01-01T00:00:00Z
        /// Share of events that go to fresh articles (the rest follow the evergreen Zipf law).
        public var freshShare = 0.6
        /// Zipf exponent of evergreen article popularity and of reader activity.
        public var zipfExponent = 1.0
        /// Share of visits a reader pays to a site other than their home site.
        public var crossSiteShare = 0.3
        public var meanSessionLength = 3.0
        /// Number of distinct tags.
        public var tagVocabulary = 500
        public var seed: UInt64 = 42

        public init() {}
    }

    public let parameters: Parameters

    public init(parameters: Parameters) {
        self.parameters = parameters
    }

    static let kinds: [(kind: String, name: String, lifetimeHours: Double)] = [
        ("news", "Daily News", 36), ("travel", "Travel Guide", 24 * 21), ("blog", "The Blog", 24 * 5),
        ("lifestyle", "Lifestyle Magazine", 24 * 10),
    ]

    /// What was written.
    public struct Output: Sendable {
        public var sites: Int
        public var articles: Int
        public var events: Int
        public var readers: Int
        public var bytes: Int64
    }

    /// Writes `sites.csv`, `articles.csv` and `events.csv` into `folder` (created if needed).
    /// - Throws: ``GeneratorError`` for impossible parameters; a `CocoaError` when a file cannot be written.
    public func write(to folder: String) throws -> Output {
        let p = parameters
        guard p.sites > 0, p.articles >= p.sites, p.readers > 0, p.events >= 0, p.days > 0, p.tagVocabulary > 0,
            p.meanSessionLength >= 1, (0...1).contains(p.freshShare), (0...1).contains(p.crossSiteShare),
            p.zipfExponent > 0
        else {
            throw GeneratorError.invalidParameters(
                "need sites > 0, articles >= sites, readers > 0, events >= 0, days > 0, tags > 0, session length >= 1, "
                    + "shares within 0...1 and a positive Zipf exponent")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var rng = SplitMix64(seed: p.seed)
        let spanMs = Int64(p.days) * Timestamp.millisecondsPerDay
        let start = p.end.milliseconds - spanMs

        // Sites.
        var out = try BufferedFile(path: (folder as NSString).appendingPathComponent("sites.csv"))
        out.write("slug,name,kind,base_url\n")
        var lifetimesMs: [Double] = []
        for s in 0..<p.sites {
            let k = Self.kinds[s % Self.kinds.count]
            let round = s / Self.kinds.count
            let slug = round == 0 ? k.kind : "\(k.kind)\(round + 1)"
            out.write("\(slug),\(k.name)\(round == 0 ? "" : " \(round + 1)"),\(k.kind),https://\(slug).example.com\n")
            lifetimesMs.append(k.lifetimeHours * 3_600_000)
        }
        var bytes = try out.close()
        let slugs = (0..<p.sites).map { s -> String in
            let k = Self.kinds[s % Self.kinds.count]
            let round = s / Self.kinds.count
            return round == 0 ? k.kind : "\(k.kind)\(round + 1)"
        }

        // Articles: site-major, each site's articles sorted by publish time.
        let tagCDF = Self.zipfCDF(count: p.tagVocabulary, exponent: 1.0)
        var perSiteTimes: [[Int64]] = Array(repeating: [], count: p.sites)
        var perSiteQuality: [[Double]] = Array(repeating: [], count: p.sites)
        var perSiteFirstID: [Int] = []
        out = try BufferedFile(path: (folder as NSString).appendingPathComponent("articles.csv"))
        out.write("site,id,url,title,published_at,language,tags\n")
        var nextID = 1
        for s in 0..<p.sites {
            let count = p.articles / p.sites + (s < p.articles % p.sites ? 1 : 0)
            // A fifth of the catalogue predates the span: the evergreen back catalogue.
            var times = (0..<count).map { _ in
                start - spanMs / 4 + Int64(rng.nextUnit() * Double(spanMs + spanMs / 4))
            }
            times.sort()
            perSiteTimes[s] = times
            perSiteQuality[s] = (0..<count).map { _ in
                let u = rng.nextUnit()
                return u * u * u + 0.02
            }
            perSiteFirstID.append(nextID)
            for i in 0..<count {
                let id = nextID + i
                let tagCount = 1 + rng.next(below: 4)
                var tags: [Int] = []
                for _ in 0..<tagCount {
                    let t = Self.sample(tagCDF, &rng)
                    if !tags.contains(t) { tags.append(t) }
                }
                out.write(slugs[s])
                out.write(
                    ",a\(id),https://\(slugs[s]).example.com/articles/a\(id),Article \(id) about topic\(tags[0]),")
                out.write(Timestamp(milliseconds: times[i]).iso8601)
                out.write(",en,")
                out.write(tags.map { "topic\($0)" }.joined(separator: "|"))
                out.write("\n")
            }
            nextID += count
        }
        bytes += try out.close()

        // Events.
        let readerCDF = Self.zipfCDF(count: p.readers, exponent: p.zipfExponent)
        let articleCDFs = perSiteTimes.map { Self.zipfCDF(count: $0.count, exponent: p.zipfExponent) }
        // Evergreen ranks map to a fixed shuffle of each site's articles.
        let evergreenOrder = perSiteTimes.map { times -> [Int32] in
            var order = (0..<Int32(times.count)).map { $0 }
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, rng.next(below: i + 1))
            }
            return order
        }
        let typeWeights: [(EventType, Double)] = [
            (.view, 0.80), (.click, 0.08), (.like, 0.05), (.comment, 0.03), (.share, 0.02), (.upvote, 0.02),
        ]
        let typeCDF = Self.cdf(typeWeights.map(\.1))
        let homeSite = (0..<p.readers).map { _ in rng.next(below: p.sites) }
        let sessions = max(1, Int(Double(p.events) / p.meanSessionLength))
        let stopProbability = 1 / p.meanSessionLength

        out = try BufferedFile(path: (folder as NSString).appendingPathComponent("events.csv"))
        out.write("id,site,article,reader,session,type,time\n")
        var written = 0
        var session = 0
        var readersSeen = [Bool](repeating: false, count: p.readers)
        while written < p.events {
            let reader = Self.sample(readerCDF, &rng)
            readersSeen[reader] = true
            let site =
                rng.nextUnit() < p.crossSiteShare && p.sites > 1
                ? (homeSite[reader] + 1 + rng.next(below: p.sites - 1)) % p.sites : homeSite[reader]
            let slot = Int64(Double(spanMs) * (Double(min(session, sessions - 1)) + rng.nextUnit()) / Double(sessions))
            var t = start + min(slot, spanMs - 1)
            session += 1
            repeat {
                let times = perSiteTimes[site]
                var index: Int
                if rng.nextUnit() < p.freshShare {
                    // Fresh: the article published closest to `t - age`, kept in proportion to its quality.
                    repeat {
                        let age = -log(1 - rng.nextUnit()) * lifetimesMs[site]
                        index = Self.lastIndex(atOrBefore: t - Int64(age), in: times)
                        if index < 0 { index = 0 }
                    } while rng.nextUnit() > perSiteQuality[site][index]
                } else {
                    index = Int(evergreenOrder[site][Self.sample(articleCDFs[site], &rng)])
                }
                if times[index] > t { index = 0 }
                let type = typeWeights[Self.sample(typeCDF, &rng)].0
                written += 1
                out.write("e")
                out.write(written)
                out.write(",")
                out.write(slugs[site])
                out.write(",a")
                out.write(perSiteFirstID[site] + index)
                out.write(",r")
                out.write(reader + 1)
                out.write(",s")
                out.write(session)
                out.write(",")
                out.write(type.name)
                out.write(",")
                out.write(Int(max(t, times[index]) / 1000))
                out.write("\n")
                t += 10_000 + Int64(rng.nextUnit() * 110_000)
            } while written < p.events && rng.nextUnit() > stopProbability && t < p.end.milliseconds
        }
        bytes += try out.close()
        return Output(
            sites: p.sites, articles: p.articles, events: written, readers: readersSeen.lazy.filter { $0 }.count,
            bytes: bytes)
    }

    /// Cumulative Zipf weights `1 / (rank + 1)^s`, normalised to end at 1.
    static func zipfCDF(count: Int, exponent: Double) -> [Double] {
        cdf((0..<count).map { 1 / pow(Double($0 + 1), exponent) })
    }

    static func cdf(_ weights: [Double]) -> [Double] {
        var total = 0.0
        var out = weights.map { w -> Double in
            total += w
            return total
        }
        for i in out.indices { out[i] /= total }
        return out
    }

    /// Draws an index by binary search on a cumulative distribution. - Complexity: O(log n).
    static func sample(_ cdf: [Double], _ rng: inout SplitMix64) -> Int {
        let u = rng.nextUnit()
        var lo = 0
        var hi = cdf.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cdf[mid] < u { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The last index whose time is at most `t`, or -1.
    static func lastIndex(atOrBefore t: Int64, in times: [Int64]) -> Int {
        var lo = 0
        var hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo - 1
    }
}
