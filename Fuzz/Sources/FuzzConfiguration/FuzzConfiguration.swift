import Foundation
import FuzzSupport
import Trendmix

// The configuration reader (`--config`, the stored model's configuration, `serve --variant`): any bytes.
@_cdecl("FuzzConfiguration_main")
func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { data, size in
        guard let data else { return 0 }
        return test(data, size)
    }
}

func test(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? EngineConfiguration(json: text, source: "fuzz")
    return 0
}
