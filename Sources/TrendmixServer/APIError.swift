import Foundation
public import Hummingbird
import Trendmix
import TrendmixCore

/// An error answered as JSON: `{"error": {"code": "...", "message": "..."}}` with its HTTP status.
public struct APIError: Error, Sendable, HTTPResponseError {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var out = UTF8Output()
        out.append("{\"error\":{\"code\":")
        out.quoted(code)
        out.append(",\"message\":")
        out.quoted(message)
        out.append("}}\n")
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: out.bytes)))
    }

    static func badParameter(_ name: String, _ why: String) -> APIError {
        APIError(.badRequest, "bad_parameter", "query parameter '\(name)': \(why)")
    }
}
