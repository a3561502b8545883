import Foundation
import Hummingbird
import NIOHTTP1
import Trendmix
import TrendmixCore

/// Turns every error into an ``APIError``: the engine's look-up errors into 404 (or 400 for an ambiguous id),
/// Hummingbird's own (no such route, body too large) into their status with a JSON body, anything else into 500
/// without internals.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as EngineError {
            switch error {
            case .unknownSite: throw APIError(.notFound, "unknown_site", error.description)
            case .unknownArticle: throw APIError(.notFound, "unknown_article", error.description)
            case .ambiguousArticle:
                throw APIError(.conflict, "ambiguous_article", error.description + "; pass ?site=")
            case .noModel: throw APIError(.serviceUnavailable, "no_model", error.description)
            }
        } catch let error as StoreError {
            switch error {
            case .busy:
                var busy = APIError(.serviceUnavailable, "busy", "the database is busy with another writer; retry")
                busy.headers[.retryAfter] = "5"
                throw busy
            case .unavailable:
                var gone = APIError(
                    .serviceUnavailable, "database_unavailable", "the database server cannot be reached; retry")
                gone.headers[.retryAfter] = "5"
                throw gone
            case .full:
                var full = APIError(.serviceUnavailable, "disk_full", "the server's disk is full; nothing was stored")
                full.headers[.retryAfter] = "60"
                throw full
            default:
                context.logger.error("request failed: \(error)")
                throw APIError(.internalServerError, "internal", "the server could not answer this request")
            }
        } catch let error as ImportError {
            // A well-formed event about a site or article that is not stored: the reference is missing (404),
            // not the request malformed.
            if case .invalidField(_, let field, _, _) = error, ["site", "article", "host", "seed"].contains(field) {
                let what = field == "host" ? "site" : field == "seed" ? "article" : field
                throw APIError(.notFound, "unknown_\(what)", error.description)
            }
            throw APIError(.badRequest, "invalid_event", error.description)
        } catch let error as HTTPParserError {
            // The request's bytes ended early or broke HTTP: a client that left mid-body, or a connection closed
            // for its body's timeout (ConnectionGuard.swift). The client's fault, and usually nobody to answer.
            throw APIError(.badRequest, "malformed_request", "the request ended early or is not valid HTTP: \(error)")
        } catch let error as any HTTPResponseError {
            let code: String =
                switch error.status {
                case .notFound: "not_found"
                case .contentTooLarge: "body_too_large"
                case .methodNotAllowed: "method_not_allowed"
                default: "http_\(error.status.code)"
                }
            if error.status == .notFound || error.status == .methodNotAllowed,
                let allowed = Routes.allowedMethods(request.uri.path),
                !allowed.contains(request.method)
            {
                var notAllowed = APIError(
                    .methodNotAllowed, "method_not_allowed",
                    "\(request.method) is not served here; use \(allowed.map(\.rawValue).joined(separator: ", "))")
                notAllowed.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                throw notAllowed
            }
            throw APIError(error.status, code, error.status.reasonPhrase)
        } catch {
            context.logger.error("request failed: \(error)")
            throw APIError(.internalServerError, "internal", "the server could not answer this request")
        }
    }
}
