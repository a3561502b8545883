import FuzzSupport
import TrendmixCore
import TrendmixStore

// The canonical CSV reader and field rules: the input is `articles.csv` then `events.csv` (a `|` byte splits
// it; without one it is both), imported after a fixed `sites.csv` into a store in memory, rolled back each time.
let store = makeStore()

@_cdecl("FuzzCanonicalCSV_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { data, size in
        guard let data else { return 0 }
        return test(data, size)
    }
}

func test(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    writeFixture("slug,name,kind,base_url\nnews,News,news,https://news.example\nblog,Blog,blog,\n", as: "sites.csv")
    writeSplitInput(data, size, as: "articles.csv", "events.csv")
    _ = try? store.run(CanonicalImporter(path: fuzzFolder), dryRun: true)
    return 0
}
