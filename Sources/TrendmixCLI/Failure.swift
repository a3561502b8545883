import ArgumentParser
import Foundation
import Trendmix
import TrendmixStore

/// Runs `body`, turning Trendmix's errors into a one-line message on standard error and an exit code:
/// 65 (bad input data), 74 (the database or a file cannot be used).
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ImportError {
        FileHandle.standardError.write(Data("error: \(error)\nnothing was imported; the database is unchanged\n".utf8))
        throw ExitCode(65)
    } catch let error as StoreError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(74)
    } catch let error as EngineError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(66)
    } catch let error as ConfigurationError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(78)
    } catch let error as WidgetError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(73)
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(74)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Prints a value as pretty, key-sorted JSON (stable output for machines and diffs).
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
