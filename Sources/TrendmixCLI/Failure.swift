import ArgumentParser
import Foundation
import Trendmix
import TrendmixEvaluation

/// Runs `body`, turning Trendmix's errors into a one-line message on standard error and an exit code:
/// 65 bad input data (nothing imported, no evaluation protocol the data supports, or a cut outside the data),
/// 66 unknown site/article or no model yet, 73 widgets cannot be written, 74 the database or a file cannot be
/// used, 75 the database is busy with another writer (try again later), 78 a bad configuration file.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw report(error)
    }
}

/// Writes the one-line message for `error` and gives the exit code to end with.
private func report(_ error: any Error) -> any Error {
    if let exit = error as? ExitCode { return exit }
    let (code, suffix): (Int32, String) =
        switch error {
        case is ImportError: (65, "\nnothing was imported; the database is unchanged")
        case is EngineError: (66, "")
        case is PartitionError: (65, "")
        case is SiteError: (66, "")
        case is DemoError: (73, "")
        case is WidgetError: (73, "")
        case is ConfigurationError: (78, "")
        case StoreError.busy, StoreError.unavailable: (75, "")
        case is EvaluationFailure, is SplitError: (65, "")
        default: (74, "")
        }
    FileHandle.standardError.write(Data("error: \(error)\(suffix)\n".utf8))
    return ExitCode(code)
}

/// Prints a value as pretty, key-sorted JSON in the one wire vocabulary of the HTTP API and the widget files
/// (docs/wire-format.md): snake_case keys, ISO 8601 times (``Timestamp``'s encoding), slashes unescaped.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
