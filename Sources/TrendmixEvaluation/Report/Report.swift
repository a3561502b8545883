import Foundation
import TrendmixCore

/// Writes an evaluation as Markdown and as one self-contained HTML page with SVG charts.
///
/// Numbers are printed with fixed decimals, and nothing depends on the clock or the machine except the
/// systems' ranking times (which the Markdown keeps in a separate column), so the same seed gives the same
/// figures.
public enum Report {
    /// The headline metrics, in table order.
    static let headline: [AccuracyMetric] = [.hitRate, .ndcg, .gradedNDCG, .map, .sarMAP, .mrr, .precision, .recall]

    // MARK: Markdown

    public static func markdown(_ results: [EvaluationResult], title: String, command: String) -> String {
        var out = "# \(title)\n\n"
        out += "Command: `\(command)`\n\n"
        for r in results { out += section(r) }
        return out
    }

    static func section(_ r: EvaluationResult) -> String {
        let k = r.statisticsK
        var out = "## Protocol: \(r.protocolName)\n\n"
        out += "\(r.protocolDescription). \(r.cases) cases, \(r.liveArticles) live articles ranked in full, "
        out += "\(r.trainEvents) training events. Intervals: bootstrap 95 % over cases (\(r.resamples) resamples, "
        out += "seed \(r.seed)); tests: paired bootstrap against **\(r.reference)**, α = \(fixed(r.alpha, 2)); "
        out += "`≈` marks a difference that is not significant.\n\n"
        out += "| system | " + headline.map { "\($0.rawValue)@\(k)" }.joined(separator: " | ") + " |\n"
        out += "|---|" + headline.map { _ in "---:" }.joined(separator: "|") + "|\n"
        for s in r.systems {
            var row = "| \(s.name) |"
            for metric in headline {
                let i = s.intervals[metric] ?? Interval(mean: s.mean(metric, at: k), low: 0, high: 0)
                let mark = s.tests[metric].map { $0.significant ? "" : " ≈" } ?? ""
                row += " \(fixed(i.mean)) [\(fixed(i.low))–\(fixed(i.high))]\(mark) |"
            }
            out += row + "\n"
        }
        out += "\nBeyond accuracy, at \(k):\n\n"
        out += "| system | coverage | cross-site share | tag diversity | site diversity | novelty (bits) "
        out += "| popularity | empty lists | ranking time (s) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for s in r.systems {
            out += "| \(s.name) | \(fixed(s.coverage)) | \(s.crossSiteShare.map { fixed($0) } ?? "–") "
            out += "| \(optional(s.tagDiversity)) | \(optional(s.siteDiversity)) | \(fixed(s.novelty, 2)) "
            out += "| \(fixed(s.popularityBias)) | \(s.emptyLists) | \(fixed(s.seconds, 2)) |\n"
        }
        out += "\nBy cut-off (HitRate / nDCG):\n\n| system | " + r.ks.map { "@\($0)" }.joined(separator: " | ")
        out += " |\n|---|" + r.ks.map { _ in "---:" }.joined(separator: "|") + "|\n"
        for s in r.systems {
            out +=
                "| \(s.name) | "
                + r.ks.map { "\(fixed(s.mean(.hitRate, at: $0))) / \(fixed(s.mean(.ndcg, at: $0)))" }
                .joined(separator: " | ") + " |\n"
        }
        let shaped = r.systems.filter { !$0.boxes.isEmpty }.map(\.name)
        if !shaped.isEmpty {
            out += "\n\(shaped.joined(separator: ", ")): each cut-off from the box of that size, as it is served "
            out += "(quotas and tag diversity reshape the whole box); the others: the first k of one ranking.\n"
        }
        if r.siteNames.count > 1 {
            out += "\nnDCG@\(k) by site (cases):\n\n| system | "
            let sites = Set(r.systems.flatMap { $0.perSite.map(\.site) }).sorted()
            out += sites.map { r.siteNames[Int($0)] }.joined(separator: " | ") + " |\n|---|"
            out += sites.map { _ in "---:" }.joined(separator: "|") + "|\n"
            for s in r.systems {
                out += "| \(s.name) | "
                out +=
                    sites.map { site in
                        s.perSite.first { $0.site == site }.map { "\(fixed($0.ndcg)) (\($0.cases))" } ?? "–"
                    }.joined(separator: " | ") + " |\n"
            }
        }
        out += ageTable(r)
        out += "\nSystems:\n\n"
        for s in r.systems { out += "- **\(s.name)** (\(s.kind.rawValue)): \(s.summary)\n" }
        return out + "\n"
    }

    /// The age groups that hold relevant articles, with their pair counts (the same for every system).
    static func ageGroups(_ r: EvaluationResult) -> [(index: Int, relevant: Int)] {
        guard let first = r.systems.first else { return [] }
        return first.byAge.enumerated().filter { $0.element.relevant > 0 }.map { ($0.offset, $0.element.relevant) }
    }

    static func ageTable(_ r: EvaluationResult) -> String {
        let groups = ageGroups(r)
        guard !groups.isEmpty else { return "" }
        // With one relevant article per case, each group is a set of cases: HitRate and nDCG over them.
        let single = r.systems.allSatisfy { $0.byAge.allSatisfy { $0.relevant == 0 || $0.ndcg != nil } }
        var out = "\nRelevant articles in the first \(r.statisticsK), by their age when the case was asked (age from "
        out += "the publish time, else the first engagement in training): hits ("
        out += single ? "HitRate / nDCG@\(r.statisticsK) over the group's cases):\n\n" : "share of the group):\n\n"
        out += "| system | " + groups.map { "\(ArticleAge.groups[$0.index]) (\($0.relevant))" }.joined(separator: " | ")
        out += " |\n|---|" + groups.map { _ in "---:" }.joined(separator: "|") + "|\n"
        for s in r.systems {
            let cells = groups.map { g in
                let p = s.byAge[g.index]
                return "\(p.hits) (\(optional(p.share))\(single ? " / " + optional(p.ndcg) : ""))"
            }
            out += "| \(s.name) | " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    // MARK: HTML

    public static func html(_ results: [EvaluationResult], title: String, command: String) -> String {
        let e = UTF8Output.htmlEscaped
        var out = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(e(title))</title>
            <style>
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;color:#1d2430;padding:0 1rem}
            h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.4rem;border-bottom:2px solid #e3e7ee;padding-bottom:.3rem}
            code{background:#f2f4f7;padding:.1rem .3rem;border-radius:4px;font-size:.85em}
            table{border-collapse:collapse;margin:.8rem 0;font-size:.85rem}td,th{padding:.3rem .55rem;border-bottom:1px solid #e8ebf0;text-align:right}
            th:first-child,td:first-child{text-align:left}tr.ref td{font-weight:600;background:#f5f9ff}
            .ns{color:#8a93a3}.scroll{overflow-x:auto}.charts{display:flex;flex-wrap:wrap;gap:1.2rem}.chart{background:#fbfcfe;border:1px solid #e3e7ee;border-radius:8px;padding:.6rem}
            .chart h3{font-size:.9rem;margin:.1rem 0 .4rem}.legend span{display:inline-block;margin-right:1rem;font-size:.8rem}
            .legend i{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
            </style></head><body>
            <h1>\(e(title))</h1><p>Command: <code>\(e(command))</code></p>

            """
        for r in results { out += htmlSection(r) }
        return out + "</body></html>\n"
    }

    /// Eighteen colours, so a run with every baseline, SAR and several configurations repeats none.
    static let palette = [
        "#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563", "#65a30d",
        "#7c3aed", "#0d9488", "#111827", "#92400e", "#f59e0b", "#6366f1", "#a3a3a3", "#e11d48",
    ]

    static func colour(_ i: Int) -> String { palette[i % palette.count] }

    static func htmlSection(_ r: EvaluationResult) -> String {
        let e = UTF8Output.htmlEscaped
        let k = r.statisticsK
        var out = "<h2>Protocol: \(e(r.protocolName))</h2>\n<p>\(e(r.protocolDescription)). <b>\(r.cases)</b> cases, "
        out += "<b>\(r.liveArticles)</b> live articles ranked in full, \(r.trainEvents) training events. "
        out += "95 % bootstrap intervals (\(r.resamples) resamples, seed \(r.seed)); grey values are not "
        out +=
            "significantly different from <b>\(e(r.reference))</b> (paired bootstrap, α = \(fixed(r.alpha, 2))).</p>\n"
        out += "<div class=\"legend\">"
        for (i, s) in r.systems.enumerated() {
            out += "<span><i style=\"background:\(colour(i))\"></i>\(e(s.name))</span>"
        }
        out += "</div>\n<div class=\"charts\">\n"
        out += intervalChart(r, metric: .hitRate)
        out += intervalChart(r, metric: .ndcg)
        out += lineChart(r, metric: .ndcg)
        out += lineChart(r, metric: .hitRate)
        if r.siteNames.count > 1 { out += siteChart(r) }
        out += ageChart(r)
        out += "</div>\n<div class=\"scroll\"><table><tr><th>system</th>"
        for metric in headline { out += "<th>\(metric.rawValue)@\(k)</th>" }
        out += "<th>coverage</th><th>cross-site</th><th>tag div.</th><th>novelty</th><th>popularity</th></tr>\n"
        for s in r.systems {
            out += "<tr\(s.name == r.reference ? " class=\"ref\"" : "")><td>\(e(s.name))</td>"
            for metric in headline {
                let i = s.intervals[metric] ?? Interval(mean: s.mean(metric, at: k), low: 0, high: 0)
                let ns = s.tests[metric].map { !$0.significant } ?? false
                out += "<td\(ns ? " class=\"ns\"" : "") title=\"95 % interval \(fixed(i.low))–\(fixed(i.high))\">"
                out += "\(fixed(i.mean))</td>"
            }
            out += "<td>\(fixed(s.coverage))</td><td>\(s.crossSiteShare.map { fixed($0) } ?? "–")</td>"
            out +=
                "<td>\(optional(s.tagDiversity))</td><td>\(fixed(s.novelty, 2))</td><td>\(fixed(s.popularityBias))</td></tr>\n"
        }
        return out + "</table></div>\n"
    }

    /// Horizontal bars of one metric at the statistics k, with interval whiskers, best first.
    static func intervalChart(_ r: EvaluationResult, metric: AccuracyMetric) -> String {
        let k = r.statisticsK
        let rows = r.systems.enumerated().map { (i, s) in
            (i, s, s.intervals[metric] ?? Interval(mean: s.mean(metric, at: k), low: 0, high: 0))
        }.sorted { $0.2.mean > $1.2.mean }
        let width = 500.0
        let left = 170.0
        let rowHeight = 24.0
        let barsEnd = Double(rows.count) * rowHeight + 6
        let height = barsEnd + 24
        // A round value axis under the bars, reaching the highest interval's end.
        let axis = AxisScale(highest: rows.map(\.2.high).max() ?? 0)
        let scale = (width - left - 60) / axis.top
        var svg = "<div class=\"chart\"><h3>\(metric.rawValue)@\(k) with 95 % intervals</h3>"
        svg += "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\">"
        for (i, v) in axis.ticks.enumerated() {
            let x = fixed(left + v * scale, 1)
            svg += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"4\" y2=\"\(fixed(barsEnd, 1))\" stroke=\"#e3e7ee\"/>"
            svg += "<text x=\"\(x)\" y=\"\(fixed(barsEnd + 14, 1))\" text-anchor=\"middle\" font-size=\"10\" "
            svg += "fill=\"#6b7280\">\(axis.label(i))</text>"
        }
        for (row, (i, s, interval)) in rows.enumerated() {
            let y = Double(row) * rowHeight + 6
            let ns = s.tests[metric].map { !$0.significant } ?? false
            svg += "<text x=\"\(Int(left - 6))\" y=\"\(fixed(y + 13, 1))\" text-anchor=\"end\" font-size=\"12\">"
            svg += "\(UTF8Output.htmlEscaped(s.name))</text>"
            svg += "<rect x=\"\(Int(left))\" y=\"\(fixed(y + 3, 1))\" width=\"\(fixed(interval.mean * scale, 1))\" "
            svg += "height=\"14\" fill=\"\(colour(i))\" opacity=\"\(ns ? "0.45" : "0.9")\"/>"
            let (x0, x1) = (left + interval.low * scale, left + interval.high * scale)
            svg +=
                "<line x1=\"\(fixed(x0, 1))\" x2=\"\(fixed(x1, 1))\" y1=\"\(fixed(y + 10, 1))\" y2=\"\(fixed(y + 10, 1))\" "
            svg += "stroke=\"#1d2430\" stroke-width=\"1.5\"/>"
            for x in [x0, x1] {
                svg += "<line x1=\"\(fixed(x, 1))\" x2=\"\(fixed(x, 1))\" y1=\"\(fixed(y + 5, 1))\" "
                svg += "y2=\"\(fixed(y + 15, 1))\" stroke=\"#1d2430\"/>"
            }
            svg += "<text x=\"\(fixed(x1 + 5, 1))\" y=\"\(fixed(y + 14, 1))\" font-size=\"11\" fill=\"#4b5563\">"
            svg += "\(fixed(interval.mean))\(ns ? " ≈" : "")</text>"
        }
        return svg + "</svg></div>\n"
    }

    /// The metric against k, one line per system.
    static func lineChart(_ r: EvaluationResult, metric: AccuracyMetric) -> String {
        let (width, height, left, bottom, top) = (500.0, 260.0, 45.0, 30.0, 10.0)
        let ks = r.ks.sorted()
        let axis = AxisScale(highest: r.systems.flatMap { s in ks.map { s.mean(metric, at: $0) } }.max() ?? 0)
        let maxValue = axis.top
        func x(_ i: Int) -> Double {
            left + (width - left - 20) * (ks.count > 1 ? Double(i) / Double(ks.count - 1) : 0.5)
        }
        func y(_ v: Double) -> Double { top + (height - top - bottom) * (1 - v / maxValue) }
        var svg =
            "<div class=\"chart\"><h3>\(metric.rawValue)@k</h3><svg width=\"\(Int(width))\" height=\"\(Int(height))\">"
        for (i, v) in axis.ticks.enumerated() {
            svg +=
                "<line x1=\"\(Int(left))\" x2=\"\(Int(width - 20))\" y1=\"\(fixed(y(v), 1))\" y2=\"\(fixed(y(v), 1))\" "
            svg += "stroke=\"#e3e7ee\"/><text x=\"\(Int(left - 4))\" y=\"\(fixed(y(v) + 4, 1))\" text-anchor=\"end\" "
            svg += "font-size=\"10\" fill=\"#6b7280\">\(axis.label(i))</text>"
        }
        for (i, k) in ks.enumerated() {
            svg +=
                "<text x=\"\(fixed(x(i), 1))\" y=\"\(Int(height - 10))\" text-anchor=\"middle\" font-size=\"11\">k=\(k)</text>"
        }
        for (n, s) in r.systems.enumerated() {
            let points = ks.enumerated().map {
                "\(fixed(x($0.offset), 1)),\(fixed(y(s.mean(metric, at: $0.element)), 1))"
            }
            svg +=
                "<polyline fill=\"none\" stroke=\"\(colour(n))\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
        }
        return svg + "</svg></div>\n"
    }

    /// nDCG at the statistics k per site, grouped bars.
    static func siteChart(_ r: EvaluationResult) -> String {
        let sites = Set(r.systems.flatMap { $0.perSite.map(\.site) }).sorted()
        return groupedBars(
            r, title: "nDCG@\(r.statisticsK) by site", groups: sites.map { r.siteNames[Int($0)] }
        ) { s, g in
            s.perSite.first { $0.site == sites[g] }.map { ($0.ndcg, "\(fixed($0.ndcg)) (\($0.cases) cases)") }
        }
    }

    /// Per age group of the relevant articles, the share each system put in its first k.
    static func ageChart(_ r: EvaluationResult) -> String {
        let groups = ageGroups(r)
        return groupedBars(
            r, title: "Relevant articles in the first \(r.statisticsK), by age when asked",
            groups: groups.map { "\(ArticleAge.groups[$0.index]) (\($0.relevant))" }
        ) { s, g in
            let point = s.byAge[groups[g].index]
            return point.share.map { ($0, "\(point.hits) of \(point.relevant), \(fixed($0))") }
        }
    }

    /// One group of bars per `groups` entry, one bar per system: `value(system, group)` gives the bar's height
    /// and its tooltip, or `nil` for none.
    static func groupedBars(
        _ r: EvaluationResult, title: String, groups: [String],
        value: (SystemResult, Int) -> (Double, String)?
    ) -> String {
        guard !groups.isEmpty else { return "" }
        let values = r.systems.map { s in groups.indices.map { value(s, $0) } }
        let group = Double(r.systems.count) * 9 + 14
        let left = 40.0
        // Group labels are turned 30°: room to the right and below for the longest of them, so none is cut off
        // (an estimated 5.6 px per character of the 10 px font).
        let labelLength = { (name: String) in Double(name.count) * 5.6 }
        let bottom = max(60, 12 + (groups.map(labelLength).max() ?? 0) * 0.5 + 8)
        let height = 200 + bottom
        let width = groups.enumerated().reduce(left + group * Double(groups.count) + 10) { width, label in
            max(width, left + Double(label.offset) * group + 4 + labelLength(label.element) * 0.87 + 10)
        }
        // A round axis; shares and nDCG at most 1 never get a gridline above 1 (1 is a whole number of every
        // round step that can reach it).
        let axis = AxisScale(highest: values.flatMap { $0.compactMap { $0?.0 } }.max() ?? 0)
        let maxValue = axis.top
        func y(_ v: Double) -> Double { 10 + (height - 10 - bottom) * (1 - v / maxValue) }
        var svg = "<div class=\"chart\"><h3>\(UTF8Output.htmlEscaped(title))</h3>"
        svg += "<svg width=\"\(Int(width))\" height=\"\(Int(height))\">"
        for (i, v) in axis.ticks.enumerated() {
            svg += "<line x1=\"\(Int(left - 4))\" x2=\"\(Int(width - 10))\" y1=\"\(fixed(y(v), 1))\" "
            svg += "y2=\"\(fixed(y(v), 1))\" stroke=\"#e3e7ee\"/><text x=\"\(Int(left - 6))\" "
            svg +=
                "y=\"\(fixed(y(v) + 4, 1))\" text-anchor=\"end\" font-size=\"10\" fill=\"#6b7280\">\(axis.label(i))</text>"
        }
        for (g, name) in groups.enumerated() {
            let x0 = left + Double(g) * group
            for (n, s) in r.systems.enumerated() {
                guard let (v, tip) = values[n][g] else { continue }
                svg += "<rect x=\"\(fixed(x0 + Double(n) * 9, 1))\" y=\"\(fixed(y(v), 1))\" width=\"8\" "
                svg += "height=\"\(fixed(y(0) - y(v), 1))\" fill=\"\(colour(n))\"><title>"
                svg += "\(UTF8Output.htmlEscaped(s.name)): \(UTF8Output.htmlEscaped(tip))</title></rect>"
            }
            svg += "<text transform=\"translate(\(fixed(x0 + 4, 1)),\(Int(height - bottom + 12))) rotate(30)\" "
            svg += "font-size=\"10\">\(UTF8Output.htmlEscaped(name))</text>"
        }
        return svg + "</svg></div>\n"
    }

    static func optional(_ x: Double?) -> String { x.map { fixed($0) } ?? "–" }

    /// A number with fixed decimals, the same text everywhere.
    static func fixed(_ x: Double, _ places: Int = 4) -> String {
        guard x.isFinite else { return "–" }
        return String(format: "%.\(places)f", x)
    }

    /// Writes `report.md` and `report.html` into `folder` (created if needed); returns the HTML's path.
    public static func write(
        _ results: [EvaluationResult], title: String, command: String, to folder: String
    ) throws
        -> String
    {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try markdown(results, title: title, command: command)
            .write(toFile: folder + "/report.md", atomically: true, encoding: .utf8)
        let path = folder + "/report.html"
        try html(results, title: title, command: command).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
