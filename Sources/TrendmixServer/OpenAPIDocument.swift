import Foundation
import Hummingbird

/// The OpenAPI 3.1 description of the API (`Sources/TrendmixServer/Resources/openapi.json`), served at
/// `/openapi.json` and checked against the live server by schemathesis (`Evaluation/peers/api_check.sh`).
enum OpenAPIDocument {
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { return Array("{\"error\":\"openapi.json is missing from the build\"}".utf8) }
        return [UInt8](data)
    }()

    /// The document as the answer to `GET /openapi.json`.
    static func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
