import Foundation
import Testing

@testable import TrendmixServer

/// The route table is the one list of what is served: openapi.json must document exactly its routes, methods and
/// parameters, and a method a path does not serve is a 405 naming the ones it does.
@Suite struct RouteTableTests {
    /// "METHOD /path name,name" for every operation openapi.json documents.
    static func documented() throws -> Set<String> {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(StaticResource.openAPI.bytes)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var out: Set<String> = []
        for (path, item) in paths {
            let shared = item["parameters"] as? [[String: Any]] ?? []
            for (method, operation) in item where ["get", "post", "put", "delete", "patch", "head"].contains(method) {
                let own = (operation as? [String: Any])?["parameters"] as? [[String: Any]] ?? []
                let names = (shared + own).compactMap { $0["name"] as? String }.sorted()
                out.insert("\(method.uppercased()) \(path) \(names.joined(separator: ","))")
            }
        }
        return out
    }

    @Test func openAPIDocumentsExactlyTheRouteTable() throws {
        let served = Set(
            Routes.table.map { route in
                "\(route.method.rawValue) \(route.openAPIPath) \((route.pathParameters + route.query).sorted().joined(separator: ","))"
            })
        let documented = try Self.documented()
        #expect(documented.subtracting(served).isEmpty, "documented but not served")
        #expect(served.subtracting(documented).isEmpty, "served but not documented")
        #expect(served.count == Routes.table.count)  // no route listed twice
    }

    @Test func allowedMethodsComeFromTheTable() {
        #expect(Routes.allowedMethods("/v1/events") == [.post])
        #expect(Routes.allowedMethods("/v1/sites/beer/trending") == [.get, .head])
        #expect(Routes.allowedMethods("/v1/articles/a%2Fb/widget.html") == [.get, .head])
        #expect(Routes.allowedMethods("/v1/sites/beer") == nil)
        for route in Routes.table {
            let path = route.path.split(separator: "/").map { $0.hasPrefix(":") ? "x" : String($0) }.joined(
                separator: "/")
            #expect(Routes.allowedMethods(path)?.contains(route.method) == true, "\(route.path)")
        }
    }
}
