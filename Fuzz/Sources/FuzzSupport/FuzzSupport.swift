import CLibFuzzer
import Foundation
import TrendmixStore

/// Runs libFuzzer over `test` with the process's arguments (libFuzzer's flags and corpus folders).
public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
    _ test: @escaping @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, test)
}

/// A folder of this process's own under /dev/shm (memory) or the temporary folder, for inputs the importers read
/// from files.
public let fuzzFolder: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let folder = base + "/trendmix-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}()

/// Writes `bytes` to `name` in ``fuzzFolder``; returns the path.
public func writeInput(_ data: UnsafePointer<UInt8>, _ size: Int, as name: String) -> String {
    let path = fuzzFolder + "/" + name
    FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
    return path
}

/// Writes the input up to its first `|` byte to `first` and the rest to `second` (without one: all of it to
/// `first`, and `second` empty), for targets that read two files.
public func writeSplitInput(_ data: UnsafePointer<UInt8>, _ size: Int, as first: String, _ second: String) {
    let split = UnsafeBufferPointer(start: data, count: size).firstIndex(of: UInt8(ascii: "|")) ?? size
    let rest = min(split + 1, size)
    _ = writeInput(data, split, as: first)
    _ = writeInput(data + rest, size - rest, as: second)
}

/// Writes fixed text to `name` in ``fuzzFolder``.
public func writeFixture(_ text: String, as name: String) {
    FileManager.default.createFile(atPath: fuzzFolder + "/" + name, contents: Data(text.utf8))
}

/// A store in memory that every input is imported into and rolled back from.
public func makeStore() -> SQLiteArticleStore {
    do {
        return try SQLiteArticleStore()
    } catch {
        fatalError("cannot make a store in memory: \(error)")
    }
}
