/// How a box is filled.
public struct MixConfiguration: Sendable, Hashable, Codable {
    /// Items per box.
    public var k: Int = 8
    /// The box sizes every entry point accepts (the command line's `--k`, the HTTP API's `k`, `mix.k` in a
    /// configuration file): one rule.
    public static let boxSizes = 1...100
    /// Whether the host site's own articles may appear ("our other sites": no, by default).
    public var includeHostSite = false
    /// When the other sites offer fewer than `k` items (a single-site catalogue, or sites gone quiet), the rest of
    /// the box comes from the host site's own articles, each item saying so. Off: such a box stays short, or empty.
    /// No effect with ``includeHostSite`` or with a request limited to other sites.
    public var fillFromHostSite = true
    /// An article counts as trending only with engagement in the last this-many half-lives of its site (at least
    /// one event of weight 1, decayed, at 2^−this): a site whose activity ended years ago has nothing trending,
    /// however its articles' growth ratios compare.
    public var trendingWindowHalfLives: Double = 4
    /// Articles published longer ago than this are left out; `nil` keeps all.
    public var maxAge: Duration?
    /// Prefer items whose first tag is not in the box yet, before repeating a tag.
    public var tagDiversity = true
    /// With m sites among the candidates, no site gets more than ⌈k/m⌉ items unless the others run dry.
    /// Off: the box is the candidates in order (stage, then score).
    public var siteQuotas = true
    /// With quotas, in a box for a reader each site's share follows its engagement now (Σ recent rate of its
    /// articles, counted from 0, over that of the sites among the box's candidates): at most max(1, ⌈k · share⌉) items unless the others
    /// run dry, so a busy site gets the room its readers give it and a site gone quiet one slot at most. Boxes
    /// without a reader (the group's mix, and the box under an article) keep ⌈k/m⌉ each. Off: ⌈k/m⌉ each always.
    /// On the eight Stack Exchange sites aligned (`Data/`), the rolling protocol's HitRate@10 went from 0.246 to
    /// 0.294 (Evaluation/README.md).
    public var readerQuotasByEngagement = true
    /// Co-occurrence evidence at which related items weigh co-occurrence and tags equally: a seed seen in
    /// n baskets gets α = n / (n + this) of co-occurrence and 1 − α of tag similarity.
    public var evidenceHalfSaturation: Double = 5
    /// The content fallback reads at most this many articles per tag, the most recently published first,
    /// so that a popular tag costs a request a bounded amount of work.
    public var maxTagPostings = 256
    /// The personal stage reads the reader's strongest affinities only, at most this many: a heavy reader's
    /// thousands of articles would cost a request milliseconds and add little.
    public var maxHistory = 50
    /// The freshness blend of requests with a reader: the evidence stages' candidates and each eligible site's
    /// hottest articles (``hotGravity``) are ranked together by (1 − f) · evidence + f · hotness, each on a 0–1
    /// scale (evidence: the stage's score over its best, or for a hot candidate over the best among the hot
    /// candidates; hotness: over the site's highest), f the candidate's site's value (by kind, else this
    /// default) times how alive the site is now. 0 keeps the evidence stages first, as SAR does.
    public var freshness: Double = 0.3
    /// Per site kind, as half-lives are: readers of news and blogs mostly read what is new (DeskDrop, a
    /// corporate news-sharing site imported as a blog: 0.6 with ``personalHotness`` 1 ranked best on nDCG@10 and
    /// tied best on HitRate@10 in the grid 0.5, 0.6 and 0.7 by ρ 0.5 to 2, on its weeks from the 0.6 cut to the
    /// 0.8 cut, rolling protocol: HitRate@10 0.480, nDCG@10 0.272), people on a Q&A site follow their own
    /// questions and topics as much (0.5, chosen on the Stack Exchange sites' weeks before reader-specific
    /// hotness, took rolling HitRate@10 from 0.070 with 0.2 to 0.154 and kept leave-last-out's 0.042; 0.85 took
    /// leave-last-out to 0.026). Evaluation/README.md.
    public var freshnessByKind: [String: Double] = ["news": 0.6, "blog": 0.6, "qa": 0.5]
    /// What "hot lately" means in the freshness blend. A number γ: the article's lifetime engagement rate,
    /// all its weighted engagement / (hours since publication, or since its first engagement, + 2)^γ, as Hacker
    /// News ranks (with its γ = 1.8 and without its − 1): an article shared yesterday that a few have read
    /// outranks one from last month that many read over the weeks. `nil`: the site's decayed engagement
    /// rate (``TrendingScores/recentRate``). 1.2 ranked best of 0.8, 1.2 and 1.8 (and `nil`) on DeskDrop's
    /// weeks from the 0.6 cut to the 0.8 cut (rolling protocol, HitRate@10 0.467 against 0.241 with `nil`).
    public var hotGravity: Double? = 1.2
    /// What ``hotGravity``'s lifetime rate counts: readers, as Hacker News counts one vote per user, so that a
    /// few people reopening an article all day do not make it hot. On DeskDrop's weeks from the 0.6 cut to the
    /// 0.8 cut (rolling protocol) the two are level (HitRate@10 0.480 with readers against 0.483, nDCG@10 0.272
    /// against 0.269, neither significant); on the weeks after the 0.8 cut readers lead on nDCG@10, 0.364
    /// against 0.350, significantly (Evaluation/README.md).
    public var hotCounts: HotCount = .readers
    /// Reader-specific hotness in the freshness blend of requests with a reader: a candidate's personal evidence
    /// is its personal score times (its hotness over its site's hottest)^ρ, over the best such product among the
    /// candidates: "what this reader's history points to among what is being read now". 0 keeps the plain
    /// personal score (over the stage's best, or for a hot candidate over the best among the hot candidates),
    /// which lets a reader's long-standing favourites, barely read by anyone lately, crowd out this week's
    /// articles. On DeskDrop's weeks from the 0.6 cut to the 0.8 cut (rolling protocol, freshness 0.6), ρ = 1
    /// took HitRate@10 from 0.381 with 0 to 0.480 (nDCG@10 0.226 to 0.272) and ranked best of 0, 0.5, 0.75, 1,
    /// 1.5 and 2 (Evaluation/README.md).
    public var personalHotness: Double = 1
    /// The same blend for requests with a seed and no reader ("readers of this also read"): co-occurrence with
    /// the seed is the stronger evidence there; 0.3 ranked best on the same cuts.
    public var relatedFreshness: Double = 0.3
    /// The related stage's (a seed's) co-occurrence evidence is (1 − w) · "readers of this also read" +
    /// w · "read in the same visit", each over its row's best: readers who open the next article within a
    /// visit follow a thread that whole reading histories blur. Where the seed has neighbours in one index
    /// only, that one counts whole. A second neighbour index, over sessions, is built only when this is above
    /// 0 and the events carry sessions. Of 0.3, 0.5, 0.7 and 1, 0.5 had the best mean over DeskDrop's 0.6 and 0.7
    /// cuts (session protocol, HitRate@10 from 0.227 and 0.224 without it to 0.263 and 0.285; 0.7 led on the
    /// 0.7 cut with 0.297, not significantly, and fell to 0.242 on the 0.6 cut; Evaluation/README.md).
    public var sessionWeight: Double = 0.5
    /// A seed's box also reads the articles read before it in the same visit
    /// (``RecommendationRequest/visit``): the one `d` places before the seed adds its own rows (both indexes,
    /// as the seed's) weighted exp(−d / λ), λ this value, as STAN weighs a session's positions (Garg et al.,
    /// SIGIR 2019). 0: the visit is not read (its articles are still left out of the box). Of 0, 0.5, 1, 2 and
    /// 4, 2 had the best mean nDCG@10 over DeskDrop's 0.5, 0.6 and 0.7 cuts (session protocol, HitRate@10 0.232,
    /// 0.283, 0.299 with 2 against 0.227, 0.260, 0.282 for the seed alone; Evaluation/README.md).
    public var visitDecay: Double = 2
    /// Candidates each stage offers before quotas are applied.
    public var candidatesPerStage = 50

    public init() {}

    /// The freshness blend's weight for a reader request's candidates on `site`.
    public func freshness(for site: Site) -> Double { freshnessByKind[site.kind] ?? freshness }
}
