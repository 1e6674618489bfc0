import Hummingbird
import KvotaStore
import Logging

/// `GET /healthz`: answers 200 only when the database answers, for load balancers and `kvota serve` scripts.
struct HealthRoutes {
    let database: Database

    struct Health: ResponseEncodable, Equatable {
        let status: String
        let database: String
        let schemaVersion: Int?
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/healthz") { request, context -> Response in
            let (health, status) = await check(logger: context.logger)
            var response = try context.responseEncoder.encode(health, from: request, context: context)
            response.status = status
            return response
        }
    }

    private func check(logger: Logger) async -> (Health, HTTPResponse.Status) {
        do {
            let status = try await database.status()
            return (Health(status: "ok", database: status.engine.rawValue, schemaVersion: status.schemaVersion), .ok)
        } catch {
            logger.error("health check failed", metadata: ["error": "\(error)"])
            return (Health(status: "unavailable", database: database.engine.rawValue, schemaVersion: nil), .serviceUnavailable)
        }
    }
}
