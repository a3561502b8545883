import Foundation
import Hummingbird
import Trendmix

/// `GET /v1/stats/ctr?by=variant,placement,position,site`: the widgets' click-through from the stored impressions
/// and clicks (``CTRReport``, the same figures as `trendmix report ctr --json`). Operators' data, not readers':
/// it needs the write token (``WriteAccess``), and is never cached.
struct StatsEndpoint: Sendable {
    let holder: LiveEngine
    let access: WriteAccess

    func ctr(_ request: Request, context: AppRequestContext, allowed: Set<String>) async throws -> Response {
        try access.check(request, context: context)
        let query = try Query(request)
        try query.allow(allowed)
        var dimensions: [InteractionDimension] = []
        let given = query.items.filter { $0.name == "by" }.flatMap {
            $0.value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        for name in given {
            guard let d = InteractionDimension(rawValue: name) else {
                throw APIError.badParameter(
                    "by", "unknown dimension '\(name)'; use variant, placement, position or site")
            }
            if !dimensions.contains(d) { dimensions.append(d) }
        }
        if dimensions.isEmpty { dimensions = [.variant] }
        let store = holder.store
        let report = try await StoreExecutor.reads.run { [dimensions] in try CTRReport(store: store, by: dimensions) }
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: report.json + "\n")))
    }
}
