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

    /// - Throws: ``StoreError/corrupt(reason:)`` naming the column, for text that is not a calibration.
    static func decode(_ text: String) throws -> Calibration {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(Calibration.self, from: Data(text.utf8))
        } catch {
            throw StoreError.corrupt(
                reason: "model.calibration is not a calibration as this version writes it: \(error)")
        }
    }
}
