import Foundation
import Hummingbird
import Trendmix
import TrendmixCore

/// The query string, parsed once: repeated and comma-separated values both accepted for lists.
struct Query {
    let items: [(name: String, value: String)]

    init(_ request: Request) throws {
        var items: [(String, String)] = []
        for (name, value) in request.uri.queryParameters {
            items.append((String(name), String(value)))
        }
        self.items = items
    }

    func allow(_ names: Set<String>) throws {
        if let unknown = items.first(where: { !names.contains($0.name) }) {
            throw APIError.badParameter(
                unknown.name, "not a parameter of this endpoint (\(names.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ name: String) -> String? {
        items.last { $0.name == name }.map(\.value).flatMap { $0.isEmpty ? nil : $0 }
    }

    func list(_ name: String) -> [String] {
        items.filter { $0.name == name }.flatMap { $0.value.split(separator: ",").map(String.init) }
    }

    func k() throws -> Int? {
        guard items.contains(where: { $0.name == "k" }) else { return nil }
        let text = string("k") ?? ""
        guard let k = Int(text), (1...API.maxK).contains(k) else {
            throw APIError.badParameter("k", "expected a whole number from 1 to \(API.maxK), got '\(text)'")
        }
        return k
    }

    func bool(_ name: String) throws -> Bool {
        guard items.contains(where: { $0.name == name }) else { return false }
        switch string(name) {
        case "true": return true
        case "false": return false
        case let text: throw APIError.badParameter(name, "expected true or false, got '\(text ?? "")'")
        }
    }
}
