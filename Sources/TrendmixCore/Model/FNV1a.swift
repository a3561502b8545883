/// FNV-1a, 64 bits: the one hash Trendmix uses where a stable, fast, non-cryptographic hash of text is needed (a
/// configuration's fingerprint, an answer's entity tag, a widget's shard folder and over-long file names). The same
/// text gives the same hash on every run and machine, unlike `Hasher`.
public enum FNV1a {
    /// The 64-bit FNV-1a hash of the text's UTF-8 bytes.
    public static func hash64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// ``hash64(_:)`` as 16 lowercase hex digits.
    public static func hex64(_ text: String) -> String {
        let hex = String(hash64(text), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
