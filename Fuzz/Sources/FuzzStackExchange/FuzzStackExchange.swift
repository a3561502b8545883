import FuzzSupport
import TrendmixCore
import TrendmixStore

// The Stack Exchange XML row reader and importer: the input is `Posts.xml` (split at the first `|` byte: the rest
// is `Votes.xml`), imported into a store in memory, rolled back each time.
let store = makeStore()

@_cdecl("FuzzStackExchange_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { data, size in
        guard let data else { return 0 }
        return test(data, size)
    }
}

func test(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: UInt8(ascii: "|")) ?? size
    _ = writeInput(data, split, as: "Posts.xml")
    _ = writeInput(data + min(split + 1, size), size - min(split + 1, size), as: "Votes.xml")
    let site = Site(slug: "fuzz", name: "Fuzz", kind: "qa", baseURL: "https://fuzz.example")
    _ = try? store.run(StackExchangeImporter(folder: fuzzFolder, site: site), dryRun: true)
    return 0
}
