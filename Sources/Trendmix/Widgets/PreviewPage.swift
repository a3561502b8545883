import TrendmixCore

/// One self-contained HTML page that shows every site's widget and a sample of per-article widgets, styled so a
/// person can judge the mix at a glance: which sites each box draws from, the tags, and why each item is there.
enum PreviewPage {
    static func html(sites: [Widget], articles: [Widget], engine: RecommendationEngine, now: Timestamp) -> String {
        let e = WidgetRenderer.escape
        var out = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Trendmix widgets</title>
            <style>
            body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
            header { background: #1d2330; color: #fff; padding: 18px 28px; }
            header h1 { margin: 0 0 4px; font-size: 22px; }
            header p { margin: 0; color: #c5cad6; font-size: 13px; }
            main { padding: 20px 28px 40px; }
            h2.section { font-size: 17px; margin: 26px 0 10px; color: #3b4459; }
            .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 16px; }
            .card { background: #fff; border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.12); padding: 14px 16px; }
            .card .where { font-size: 12px; color: #6b7385; margin-bottom: 6px; }
            .card .where b { color: #1d2330; }
            .mixbar { display: flex; height: 6px; border-radius: 3px; overflow: hidden; margin: 6px 0 10px; }
            .trendmix-heading { font-size: 15px; margin: 0 0 8px; }
            .trendmix-items { margin: 0; padding-left: 20px; }
            .trendmix-item { margin: 0 0 7px; }
            .trendmix-tag { display: inline-block; font-size: 11px; text-transform: lowercase; background: #eef1f6;
                            color: #47506a; border-radius: 4px; padding: 0 6px; margin-right: 2px; }
            .trendmix-title { color: #1a56c4; text-decoration: none; font-weight: 600; }
            .trendmix-title:hover { text-decoration: underline; }
            .trendmix-site { font-size: 12px; font-style: italic; color: #6b7385; }
            .trendmix-site::before { content: "· "; }
            .legend { font-size: 12px; color: #6b7385; }
            .legend span { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 10px; vertical-align: -1px; }
            </style>
            </head>
            <body>

            """
        let model = engine.model
        let palette = [
            "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
            "#bab0ac",
        ]
        func color(_ slug: String) -> String {
            palette[(model.sites.firstIndex { $0.slug == slug } ?? 0) % palette.count]
        }
        out += "<header><h1>Trendmix widgets</h1><p>Generated for \(e(now.iso8601)) from the model built for "
        out += "\(e(engine.stamp.builtFor.iso8601)) (configuration \(e(engine.stamp.configurationHash))); "
        out += "\(sites.count) site widgets, \(articles.count) article widgets shown.</p></header>\n<main>\n"
        out += "<p class=\"legend\">Sites:"
        for site in model.sites { out += "<span style=\"background:\(color(site.slug))\"></span>\(e(site.name))" }
        out += "</p>\n"
        func card(_ w: Widget, title: String) {
            out += "<div class=\"card\">\n<div class=\"where\">\(title)</div>\n<div class=\"mixbar\">"
            for item in w.items {
                out += "<div style=\"flex:1;background:\(color(item.site))\" title=\"\(e(item.siteName))\"></div>"
            }
            out += "</div>\n" + WidgetRenderer.html(w) + "</div>\n"
        }
        out +=
            "<h2 class=\"section\">Each site's box: a mix of what's trending on the other sites</h2>\n<div class=\"grid\">\n"
        for w in sites {
            let distinct = Set(w.items.map(\.site)).count
            card(w, title: "On <b>\(e(w.host.name))</b> · \(w.items.count) items from \(distinct) sites")
        }
        out += "</div>\n"
        if !articles.isEmpty {
            out +=
                "<h2 class=\"section\">Under articles: related articles from the other sites (most-read articles)</h2>\n<div class=\"grid\">\n"
            for w in articles {
                let title = w.article?.title ?? w.article?.id ?? ""
                card(w, title: "Under <b>\(e(title))</b> on \(e(w.host.name))")
            }
            out += "</div>\n"
        }
        out += "</main>\n</body>\n</html>\n"
        return out
    }
}
