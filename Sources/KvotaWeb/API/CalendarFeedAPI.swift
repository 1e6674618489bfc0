import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/me/calendar-feed`: the caller's own calendar feed address. The address holds a secret, so it is in the
/// answer that makes it only; a new one replaces the old.
struct CalendarFeedAPI {
    let database: Database
    let config: AppConfig

    struct FeedDTO: Encodable {
        let active: Bool
        let createdAt: Date?
        /// Only in the answer that makes the address: it is never shown again.
        var url: String?
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/me/calendar-feed") { _, context -> Response in
            let created = try await database.calendarFeed(of: context.user.id)
            return try JSONBody.response(FeedDTO(active: created != nil, createdAt: created))
        }
        api.post("/me/calendar-feed") { request, context -> Response in
            let url = try await CalendarFeedRoutes.rotate(for: context, request: request, database: database, config: config)
            let created = try await database.calendarFeed(of: context.user.id)
            return try JSONBody.response(FeedDTO(active: true, createdAt: created, url: url), status: .created)
        }
        api.delete("/me/calendar-feed") { _, context -> Response in
            try await database.removeCalendarFeed(of: context.user.id, at: config.now(), address: context.address)
            return Response(status: .noContent)
        }
    }
}
