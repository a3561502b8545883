import Foundation
import FuzzSupport
import TrendmixCore

@testable import TrendmixServer

// The decoders of POST /v1/events, /v1/impressions and /v1/articles: the first byte picks one, the rest is the
// body. Errors are answers (400s); a crash or a sanitizer report is a finding.
@_cdecl("FuzzPostBodies_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { data, size in
        guard let data else { return 0 }
        return test(data, size)
    }
}

func test(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let body = Data(bytes: data + 1, count: size - 1)
    switch data[0] % 3 {
    case 0: _ = try? EventsEndpoint.parse(body)
    case 1: _ = try? ImpressionsEndpoint.parse(body)
    default: _ = try? ArticlesEndpoint.parse(body)
    }
    return 0
}
