import Foundation
import TrendmixCore

/// A ``Calibration`` as a store keeps it: JSON in the project's vocabulary (snake_case keys).
enum CalibrationJSON {
    static func encode(_ calibration: Calibration) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(calibration), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> Calibration {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Calibration.self, from: Data(text.utf8))
    }
}
