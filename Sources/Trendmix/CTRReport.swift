import Foundation
import TrendmixCore
public import TrendmixStore

public typealias InteractionDimension = TrendmixStore.InteractionDimension
public typealias InteractionCounts = TrendmixStore.InteractionCounts

/// Click-through of the widgets from the stored impressions and clicks (`trendmix report ctr`, `GET
/// /v1/stats/ctr`): per group of the chosen dimensions, the rate with its 95 % Wilson score interval, and, when
/// the breakdown includes `variant`, each variant against the control of the same group (or the first variant
/// where the group has no control) by a two-sided two-proportion z-test.
public struct CTRReport: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// The group's values, in the order of ``CTRReport/dimensions``; nil for impressions without a variant.
        public var group: [String?]
        public var impressions: Int
        public var clicks: Int
        /// Clicks per impression; nil without impressions.
        public var rate: Double?
        /// The 95 % Wilson score interval of the rate; nil without impressions or with more clicks than them.
        public var interval: (low: Double, high: Double)?
        /// With `variant` among the dimensions: the variant this row is compared with, the difference of the
        /// rates (this minus that), and the test's two-sided p-value.
        public var versus: String?
        public var difference: Double?
        /// The 95 % interval of the difference (Wald, unpooled).
        public var differenceInterval: (low: Double, high: Double)?
        public var pValue: Double?

        public var significant: Bool? { pValue.map { $0 < 0.05 } }

        public static func == (a: Row, b: Row) -> Bool {
            a.group == b.group && a.impressions == b.impressions && a.clicks == b.clicks && a.rate == b.rate
                && a.interval?.low == b.interval?.low && a.interval?.high == b.interval?.high && a.versus == b.versus
                && a.difference == b.difference && a.pValue == b.pValue
                && a.differenceInterval?.low == b.differenceInterval?.low
                && a.differenceInterval?.high == b.differenceInterval?.high
        }
    }

    public var dimensions: [InteractionDimension]
    public var rows: [Row]

    /// Reads the counts from `store` and computes the report.
    public init(store: any ArticleStore, by dimensions: [InteractionDimension]) throws {
        self.init(counts: try store.interactionCounts(by: dimensions), by: dimensions)
    }

    public init(counts: [InteractionCounts], by dimensions: [InteractionDimension]) {
        self.dimensions = dimensions
        var rows = counts.map { c in
            Row(
                group: c.group, impressions: c.impressions, clicks: c.clicks,
                rate: c.impressions > 0 ? Double(c.clicks) / Double(c.impressions) : nil,
                interval: Self.wilson(clicks: c.clicks, impressions: c.impressions))
        }
        if let v = dimensions.firstIndex(of: .variant) {
            // Within each group of the other dimensions, every variant against the control (else the first).
            var byRest: [[String?]: [Int]] = [:]
            for (i, row) in rows.enumerated() where row.group[v] != nil {
                var rest = row.group
                rest.remove(at: v)
                byRest[rest, default: []].append(i)
            }
            for members in byRest.values {
                let reference =
                    members.first { rows[$0].group[v] == ABVariant.control } ?? members.first { _ in true }
                guard let reference else { continue }
                for i in members where i != reference {
                    let (a, b) = (rows[i], rows[reference])
                    rows[i].versus = b.group[v] ?? nil
                    if let ra = a.rate, let rb = b.rate {
                        rows[i].difference = ra - rb
                        if a.clicks <= a.impressions, b.clicks <= b.impressions {
                            let se = (ra * (1 - ra) / Double(a.impressions) + rb * (1 - rb) / Double(b.impressions))
                                .squareRoot()
                            let z = 1.959_963_984_540_054
                            rows[i].differenceInterval = (ra - rb - z * se, ra - rb + z * se)
                        }
                    }
                    rows[i].pValue = Self.twoProportionTest(a.clicks, a.impressions, b.clicks, b.impressions)
                }
            }
        }
        self.rows = rows
    }

    /// The Wilson score interval at 95 % (z = 1.959964).
    static func wilson(clicks: Int, impressions: Int) -> (low: Double, high: Double)? {
        guard impressions > 0, clicks >= 0, clicks <= impressions else { return nil }
        let n = Double(impressions)
        let p = Double(clicks) / n
        let z = 1.959_963_984_540_054
        let denominator = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denominator
        return (max(0, centre - half), min(1, centre + half))
    }

    /// The two-sided p-value of the pooled two-proportion z-test; nil when either side has no impressions,
    /// more clicks than impressions, or the pooled rate is 0 or 1 (no variance to test against).
    static func twoProportionTest(_ c1: Int, _ n1: Int, _ c2: Int, _ n2: Int) -> Double? {
        guard n1 > 0, n2 > 0, c1 <= n1, c2 <= n2 else { return nil }
        let pooled = Double(c1 + c2) / Double(n1 + n2)
        guard pooled > 0, pooled < 1 else { return nil }
        let se = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
        let z = (Double(c1) / Double(n1) - Double(c2) / Double(n2)) / se
        return erfc(abs(z) / 2.0.squareRoot())
    }

    // MARK: Output

    /// The report as JSON in the wire vocabulary: `{"by": [...], "rows": [{<dimension>: value, "clicks", "ctr",
    /// "ctr_high", "ctr_low", "impressions"}]}`, keys sorted; with `variant` among the dimensions each row also has
    /// "versus", "difference", "difference_low", "difference_high" (its 95 % interval), "p_value" and "significant"
    /// (null for the row the others are compared with).
    public var json: String {
        var out = UTF8Output()
        out.append("{\"by\":[")
        for (i, d) in dimensions.enumerated() {
            if i > 0 { out.append(byte: 0x2C) }
            out.quoted(d.rawValue)
        }
        out.append("],\"rows\":[")
        for (r, row) in rows.enumerated() {
            if r > 0 { out.append(byte: 0x2C) }
            var fields: [(String, (inout UTF8Output) -> Void)] = [
                ("clicks", { $0.integer(Int64(row.clicks)) }),
                ("ctr", { o in if let x = row.rate { o.number(x) } else { o.append("null") } }),
                ("ctr_high", { o in if let x = row.interval?.high { o.number(x) } else { o.append("null") } }),
                ("ctr_low", { o in if let x = row.interval?.low { o.number(x) } else { o.append("null") } }),
                ("impressions", { $0.integer(Int64(row.impressions)) }),
            ]
            for (d, value) in zip(dimensions, row.group) {
                fields.append(
                    (
                        d.rawValue,
                        { o in
                            if d == .position, let v = value, let n = Int64(v) { o.integer(n) } else { o.quoted(value) }
                        }
                    ))
            }
            if dimensions.contains(.variant) {
                fields.append(("versus", { $0.quoted(row.versus) }))
                fields.append(
                    ("difference", { o in if let x = row.difference { o.number(x) } else { o.append("null") } }))
                fields.append(
                    (
                        "difference_high",
                        { o in if let x = row.differenceInterval?.high { o.number(x) } else { o.append("null") } }
                    ))
                fields.append(
                    (
                        "difference_low",
                        { o in if let x = row.differenceInterval?.low { o.number(x) } else { o.append("null") } }
                    ))
                fields.append(("p_value", { o in if let x = row.pValue { o.number(x) } else { o.append("null") } }))
                fields.append(
                    ("significant", { o in o.append(row.significant.map { $0 ? "true" : "false" } ?? "null") }))
            }
            out.append("{")
            for (i, (key, write)) in fields.sorted(by: { $0.0 < $1.0 }).enumerated() {
                if i > 0 { out.append(byte: 0x2C) }
                out.quoted(key)
                out.append(":")
                write(&out)
            }
            out.append("}")
        }
        out.append("]}")
        return out.string
    }

    /// The report as an aligned text table.
    public var text: String {
        var header = dimensions.map(\.rawValue) + ["impressions", "clicks", "ctr", "95 % interval"]
        let compared = dimensions.contains(.variant)
        if compared { header += ["versus", "difference", "p"] }
        func percent(_ x: Double?) -> String { x.map { String(format: "%.2f %%", $0 * 100) } ?? "-" }
        var lines = [header]
        for row in rows {
            var line = row.group.map { $0 ?? "(none)" }
            line += [
                String(row.impressions), String(row.clicks), percent(row.rate),
                row.interval.map { "\(percent($0.low)) to \(percent($0.high))" } ?? "-",
            ]
            if compared {
                line += [
                    row.versus ?? "",
                    row.difference.map { d in
                        String(format: "%+.2f pts", d * 100)
                            + (row.differenceInterval.map {
                                String(format: " [%+.2f, %+.2f]", $0.low * 100, $0.high * 100)
                            } ?? "")
                    } ?? "",
                    row.pValue.map { String(format: "%.4f", $0) + ($0 < 0.05 ? " *" : "") } ?? "",
                ]
            }
            lines.append(line)
        }
        let widths = (0..<header.count).map { c in lines.map { $0[c].count }.max() ?? 0 }
        var out = lines.map { line in
            zip(line, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
        if rows.isEmpty { out += "\n(no impressions or clicks stored)" }
        if rows.contains(where: { $0.pValue != nil }) {
            out += "\n* p < 0.05: the rates differ (two-sided two-proportion z-test)"
        }
        return out + "\n"
    }
}
