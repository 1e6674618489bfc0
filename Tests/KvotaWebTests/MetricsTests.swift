import Foundation
import Logging
import Synchronization
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import NIOFoundationCompat
import Testing
@testable import KvotaWeb

/// `GET /metrics` (issue 12): Prometheus's text format for a scraper with the metrics token; requests by route pattern,
/// the database pools and the background queues, on both engines. The registry is the process's, shared by every test
/// app, so the checks are on this test's own labels and on values that only this test's requests can have made.
@Suite struct MetricsTests {
    static let token = "scrape-0123456789abcdef"

    struct Subscription: Encodable { let url: String; let events: [String] }

    /// The samples of a scrape by their name and labels as written (`name{a="b"}`).
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test(arguments: TestDatabase.engines)
    func metricsAreOffWithoutAToken(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, _ in
            let response = try await client.get("/metrics", token: Self.token)
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(try response.problem().detail.contains("KVOTA_METRICS_TOKEN"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aScrapeShowsRequestsByRoutePoolsAndQueues(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine, configure: { $0.metricsToken = Self.token }) { client, org in
            let admin = try await client.token(for: org.admin)
            for token in [nil, "wrong-0123456789abcdef", admin] {
                let refused = try await client.get("/metrics", token: token)
                #expect(refused.status == .unauthorized, "only the metrics token opens /metrics, not an API token")
                #expect(refused.headers[.wwwAuthenticate] == #"Bearer realm="metrics""#)
            }

            // A delivery waits (no webhook round runs in a test app) and an import waits (nor does an import round).
            let subscription = try await client.post("/api/v1/webhooks", json: Subscription(url: "https://hooks.example.com/k", events: ["lead.created"]),
                                                     token: admin)
            #expect(subscription.status == .created)
            #expect(try await client.post("/api/v1/leads", json: ["source": "web_form", "name": "Visitor"], token: admin).status == .created)
            let actor = try #require(try await org.database.signedInUser(org.admin.id)).1
            _ = try await org.database.queueImport(kind: "accounts", format: "kvota", mapping: [:], dryRun: true, file: Data("name\nAcme\n".utf8),
                                                   by: actor, at: org.clock.now)
            org.clock.advance(90)
            let unique = Int.random(in: 1_000_000...9_999_999)
            for _ in 0..<3 { #expect(try await client.get("/api/v1/deals/\(unique)", token: admin).status == .notFound) }

            let scrape = try await client.get("/metrics", token: Self.token)
            #expect(scrape.status == .ok)
            #expect(scrape.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let text = String(buffer: scrape.body)
            let samples = Self.samples(text)

            // Requests by the route's pattern, never by the id asked for.
            #expect(!text.contains("\(unique)"))
            let route = #"http_route="/api/v1/deals/{id}",http_request_method="GET",http_response_status_code="404""#
            #expect((samples["hb_requests{\(route)}"] ?? 0) >= 3)
            #expect((samples["http_server_request_duration_count{\(route)}"] ?? 0) >= 3)
            #expect(samples[#"http_server_request_duration_bucket{\#(route),le="0.001"}"#] != nil, "the 1 ms bucket")

            let pools = engine == .sqlite ? ["writer": 1, "readers": 4, "row_readers": 4] : ["connections": 8]
            for (pool, size) in pools {
                let labels = #"{engine="\#(engine.rawValue)",pool="\#(pool)"}"#
                #expect(samples["kvota_db_pool_size\(labels)"] == Double(size), "\(pool)")
                #expect(samples["kvota_db_pool_waiting\(labels)"] != nil, "\(pool)")
            }
            let readers = engine == .sqlite ? #"{engine="sqlite",pool="readers"}"# : #"{engine="postgres",pool="connections"}"#
            #expect((samples["kvota_db_pool_leases_total\(readers)"] ?? 0) >= 3)

            #expect(samples["kvota_analyses_waiting"] == 0)
            for queue in ["webhooks", "imports"] {
                #expect(samples[#"kvota_job_queue_due{queue="\#(queue)"}"#] == 1, "\(queue)")
                #expect(samples[#"kvota_job_queue_lag_seconds{queue="\#(queue)"}"#] == 90, "\(queue)")
            }
        }
    }

    /// A job's rounds are counted by outcome, timed, and the last good one's time is kept, under the job's name.
    @Test func aJobsRoundsAreCountedByOutcome() async throws {
        ServerMetrics.bootstrap()
        let job = "test_job_\(UInt32.random(in: 0...UInt32.max))"
        let rounds = Counting()
        let started = Date()
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let loop = Task { [quiet] in
            await RepeatingRounds.run(job, every: .milliseconds(5), logger: quiet, failure: "round failed") {
                // Every third round fails.
                if rounds.next() % 3 == 0 { throw CancellationError() }
            }
        }
        while rounds.count < 7 { try await Task.sleep(for: .milliseconds(5)) }
        loop.cancel()
        await loop.value
        let samples = Self.samples(ServerMetrics.registry.emitToString())
        let ok = try #require(samples[#"kvota_job_rounds_total{job="\#(job)",outcome="ok"}"#])
        let failed = try #require(samples[#"kvota_job_rounds_total{job="\#(job)",outcome="failed"}"#])
        #expect(ok + failed >= 7 && failed >= 2 && ok >= 2 * failed - 2 && ok <= 2 * failed + 2)
        #expect(samples[#"kvota_job_round_duration_count{job="\#(job)"}"#] == ok + failed)
        let last = try #require(samples[#"kvota_job_last_success_timestamp_seconds{job="\#(job)"}"#])
        #expect(last >= started.timeIntervalSince1970 && last <= Date().timeIntervalSince1970)
    }
}

/// Counts a job's rounds across the tasks that run them.
final class Counting: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    /// The number of this round, from 1.
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}
