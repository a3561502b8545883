import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore

struct RecommendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Related articles from the other sites for an article, from the stored model.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: ModelOptions
    @Option(help: "The article: its URL, its id, or site:id (or --site when several sites use the id).")
    var article: String
    @Option(help: "The article's site.") var site: String?
    @Option(
        help: """
            What the reader read before this article in the same visit, oldest first (repeatable): an id, site:id \
            or a URL; the box reads them too and leaves them out. Unknown ones are skipped with a warning.
            """)
    var visit: [String] = []
    @OptionGroup var box: BoxOptions

    func validate() throws { try database.requireExisting() }

    func run() async throws {
        try await reportingErrors {
            let engine = try await options.loadEngine(database)
            box.warnUnknownExclusions(engine)
            warnUnknown(visit, option: "--visit", engine)
            let items = try engine.related(
                site: site, article: article, visit: visit, reader: box.reader, k: box.k, exclude: box.exclude,
                now: options.now)
            try printItems(items, json: box.json, explain: box.explain)
            try requireItems(items, box: "the box under \(article)")
        }
    }
}

/// An empty box is said on standard error and ends the command with exit code 66: with the host site filling
/// what the others cannot (`mix.fill_from_host_site`), it happens only when nothing in the catalogue is eligible.
func requireItems(_ items: [RecommendedItem], box: String) throws {
    guard items.isEmpty else { return }
    FileHandle.standardError.write(
        Data(
            ("error: \(box) is empty: no article is eligible (none published by the moment asked for that passes "
                + "the filters and exclusions)\n").utf8))
    throw ExitCode(66)
}

/// Text for a terminal: control characters (C0, DEL, C1, which could move the cursor or recolour the screen when
/// a title carries an escape sequence) become U+FFFD.
func terminalSafe(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: FieldRules.isControl) else { return text }
    return String(
        String.UnicodeScalarView(text.unicodeScalars.map { FieldRules.isControl($0) ? "\u{FFFD}" : $0 }))
}

/// A box as text (a numbered list with label, title and site) or JSON.
func printItems(_ items: [RecommendedItem], json: Bool, explain: Bool) throws {
    if json {
        // The items exactly as the HTTP API and the widget files write them (WidgetRenderer, byte-identical to the
        // Codable WireItem; docs/wire-format.md), the explanation included.
        var out = UTF8Output()
        out.append("[")
        for (i, item) in items.enumerated() {
            out.append(i == 0 ? "\n  " : ",\n  ")
            WidgetRenderer.json(item, explanation: true, into: &out)
        }
        out.append(items.isEmpty ? "]" : "\n]")
        print(out.string)
        return
    }
    for (i, item) in items.enumerated() {
        let label = item.tag.map { "[\(terminalSafe($0))] " } ?? ""
        let title = terminalSafe(item.title ?? item.article)
        print("\(i + 1). \(label)\(title) · \(terminalSafe(item.siteName))  (\(String(format: "%.3f", item.score)))")
        if explain { print("   \(item.reason): \(terminalSafe(item.explanation))") }
    }
}
