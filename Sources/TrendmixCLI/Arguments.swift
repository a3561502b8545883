public import ArgumentParser
import Foundation
public import Trendmix
public import TrendmixCore
public import TrendmixEvaluation

// The library's types that options take, each parsed by the library's own rules, once. When a value is refused,
// ArgumentParser names the option and prints its help, which says what is accepted.

extension ImportFormat: ExpressibleByArgument {}

extension EvaluationProtocol.Name: ExpressibleByArgument {}

/// A time option: ISO 8601 (a date, or a date and time with an offset) or Unix seconds, from 1900 to 2200
/// (``TimestampParser``).
extension Timestamp: ExpressibleByArgument {
    public init?(argument: String) {
        guard let time = TimestampParser.parse(argument) else { return nil }
        self = time
    }

    /// What every time option's help says it takes.
    static let argumentForms = "ISO 8601 such as 2016-10-10 or 2020-05-31T01:40:47Z, or Unix seconds; 1900 to 2200"
}

/// `--protocol`: protocol names, comma-separated, or `all`.
struct ProtocolSelection: ExpressibleByArgument {
    var names: [EvaluationProtocol.Name]

    init(_ names: [EvaluationProtocol.Name]) { self.names = names }

    init?(argument: String) {
        if argument == "all" {
            names = EvaluationProtocol.Name.allCases
            return
        }
        var names: [EvaluationProtocol.Name] = []
        for part in argument.split(separator: ",") {
            guard let name = EvaluationProtocol.Name(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
                return nil
            }
            names.append(name)
        }
        guard !names.isEmpty else { return nil }
        self.names = names
    }

    var defaultValueDescription: String { names.map(\.rawValue).joined(separator: ",") }
}
