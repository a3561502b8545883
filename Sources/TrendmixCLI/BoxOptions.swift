import ArgumentParser
import Foundation
import Trendmix
import TrendmixCore

/// What both box commands take: the reader, the size, exclusions and the output form.
struct BoxOptions: ParsableArguments {
    @Option(help: "A reader id, to personalise and to leave out what they read.") var reader: String?
    @Option(help: "Items in the box (default: the configuration's mix.k, 8 unless set).") var k: Int?
    @Option(
        help: "Articles not to show (repeatable): an id, site:id, or a URL; unknown ones are skipped with a warning.")
    var exclude: [String] = []
    @Flag(help: "Say why each item is there.") var explain = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if let k, !MixConfiguration.boxSizes.contains(k) {
            throw ValidationError("--k must be from 1 to \(MixConfiguration.boxSizes.upperBound)")
        }
    }

    /// Says which `--exclude` names no article (they are skipped: the article may be newer than the model).
    func warnUnknownExclusions(_ engine: RecommendationEngine) {
        warnUnknown(exclude, option: "--exclude", engine)
    }
}

/// Says which of an option's references name no article in the model (they are skipped).
func warnUnknown(_ references: [String], option: String, _ engine: RecommendationEngine) {
    for reference in engine.unknownReferences(references) {
        FileHandle.standardError.write(
            Data("warning: \(option) \(terminalSafe(reference)): no such article in the model; skipped\n".utf8))
    }
}
