import FuzzSupport
import TrendmixCore
import TrendmixStore

// The JSON Lines reader and field rules: the input is `articles.jsonl` then `events.jsonl` (split at the first
// `|` byte), after a fixed `sites.jsonl`, into a store in memory, rolled back each time.
let store = makeStore()

@_cdecl("FuzzCanonicalJSONLines_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { data, size in
        guard let data else { return 0 }
        return test(data, size)
    }
}

func test(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    writeFixture(#"{"slug":"news","name":"News","kind":"news"}"# + "\n", as: "sites.jsonl")
    writeSplitInput(data, size, as: "articles.jsonl", "events.jsonl")
    _ = try? store.run(CanonicalImporter(path: fuzzFolder), dryRun: true)
    return 0
}
