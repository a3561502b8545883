public import Foundation
import TrendmixCore

/// The wire vocabulary as Codable types (docs/wire-format.md): what the widget files, the HTTP API's answers and
/// the command line's `--json` hold. ``WidgetRenderer`` writes the same bytes by hand, for speed; the encoder
/// below is the reference it is tested against.
public enum WireFormat {
    /// Sorted keys, slashes unescaped, no whitespace: the encoder whose output ``WidgetRenderer`` reproduces.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A score as the wire writes it: rounded to six decimals, without trailing zeros (a `Decimal`, so neither
    /// binary noise nor an exponent reaches the text).
    static func decimal(_ x: Double) -> Decimal {
        var out = UTF8Output(capacity: 24)
        out.number(x)
        return Decimal(string: out.string) ?? 0
    }
}
