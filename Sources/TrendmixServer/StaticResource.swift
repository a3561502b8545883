import Foundation
import Hummingbird

/// A file of `Sources/TrendmixServer/Resources` served as it is: the OpenAPI 3.1 description of the API
/// (`/openapi.json`, checked against the live server by schemathesis, `Evaluation/peers/api_check.sh`), the embed
/// script (`/v1/embed.js`) and the box's default stylesheet (`/v1/widget.css`).
struct StaticResource: Sendable {
    let bytes: [UInt8]
    let contentType: String
    let cacheControl: String?

    init(_ name: String, _ ext: String, contentType: String, cacheControl: String? = nil) {
        if let url = Bundle.module.url(forResource: name, withExtension: ext), let data = try? Data(contentsOf: url) {
            bytes = [UInt8](data)
        } else {
            bytes = Array("/* \(name).\(ext) is missing from the build */\n".utf8)
        }
        self.contentType = contentType
        self.cacheControl = cacheControl
    }

    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        if let cacheControl { headers[.cacheControl] = cacheControl }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static let openAPI = StaticResource("openapi", "json", contentType: "application/json; charset=utf-8")
    /// Cached for an hour by browsers and shared caches: a page loads it on every view.
    static let embedScript = StaticResource(
        "embed", "js", contentType: "text/javascript; charset=utf-8", cacheControl: "public, max-age=3600")
    static let widgetStylesheet = StaticResource(
        "widget", "css", contentType: "text/css; charset=utf-8", cacheControl: "public, max-age=3600")
}
