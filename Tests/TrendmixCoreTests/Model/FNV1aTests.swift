import Testing
import TrendmixCore

@Suite struct FNV1aTests {
    /// The published FNV-1a 64 test vectors (the offset basis for the empty string).
    @Test(arguments: [
        ("", "cbf29ce484222325"), ("a", "af63dc4c8601ec8c"), ("foobar", "85944171f73967e8"),
    ])
    func matchesTheReferenceVectors(text: String, hex: String) {
        #expect(FNV1a.hex64(text) == hex)
        #expect(FNV1a.hash64(text) == UInt64(hex, radix: 16))
    }
}
