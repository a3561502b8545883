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
    writeSplitInput(data, size, as: "Posts.xml", "Votes.xml")
    let site = Site(slug: "fuzz", name: "Fuzz", kind: "qa", baseURL: "https://fuzz.example")
    _ = try? store.run(StackExchangeImporter(folder: fuzzFolder, site: site), dryRun: true)
    return 0
}
