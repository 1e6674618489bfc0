import Foundation
import KvotaWeb
import Logging
import Synchronization
import Testing

/// `KVOTA_LOG_FORMAT=json`: each line one JSON object a collector reads without a parsing rule.
@Suite struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let all = Mutex<[String]>([])
    }

    @Test func aLineIsOneObjectWithTheMetadataAsFields() throws {
        let lines = Lines()
        var logger = Logger(label: "kvota") { label in
            JSONLogHandler(label: label, metadataProvider: .init { ["trace": "t-1"] }) { line in lines.all.withLock { $0.append(line) } }
        }
        logger.logLevel = .info
        logger[metadataKey: "server"] = "a"
        logger.debug("not shown below the level")
        logger.info("request \"quoted\"\nover two lines — Привет", metadata: [
            "status": .stringConvertible(404), "path": "/api/v1/deals/7", "level": "a metadata key may not replace the level",
            "nested": .dictionary(["ids": .array(["1", "2"])]),
        ])
        let written = lines.all.withLock { $0 }
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.hasSuffix("}\n") && line.dropLast().firstIndex(of: "\n") == nil, "one line")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "request \"quoted\"\nover two lines — Привет")
        #expect(object["level"] as? String == "info" && object["logger"] as? String == "kvota")
        #expect(object["status"] as? String == "404" && object["path"] as? String == "/api/v1/deals/7")
        #expect(object["server"] as? String == "a" && object["trace"] as? String == "t-1")
        #expect((object["nested"] as? [String: Any])?["ids"] as? [String] == ["1", "2"])
        #expect((object["source"] as? String)?.hasPrefix("JSONLogHandlerTests.swift:") == true)
        let time = try #require(object["time"] as? String)
        #expect(try Date(time, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)).timeIntervalSinceNow > -60)
    }
}
