import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import KvotaWeb
import Testing

/// `/imports` in the browser: a file uploaded from the page runs in the background, its page follows it (refreshing
/// itself while it runs) to the report with every problem in the user's words; the lists offer it to those who may add
/// records; a form without its token is refused.
@Suite struct ImportPagesTests {
    static func upload(_ client: any TestClientProtocol, _ fields: [(String, String)], file: String?, cookie: String) async throws -> TestResponse {
        let boundary = "kvota-test-boundary"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"accounts.csv\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return try await client.execute(uri: "/imports", method: .post,
                                        headers: [.cookie: cookie, .contentType: "multipart/form-data; boundary=\(boundary)"],
                                        body: ByteBuffer(string: body))
    }

    @Test(arguments: TestDatabase.engines)
    func aFileUploadedOnThePageIsFollowedToItsReport(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie = "kvota_session=\(session)"
            let empty = try await client.get("/imports?kind=accounts", headers: [.cookie: cookie])
            #expect(empty.status == .ok && empty.text.contains("multipart/form-data") && empty.text.contains("No imports yet."))
            #expect(try await client.get("/accounts", headers: [.cookie: cookie]).text.contains("href=\"/imports?kind=accounts\""))

            let posted = try await Self.upload(client, [("_csrf", csrf), ("kind", "accounts"), ("format", "kvota")],
                                               file: ImportsAPITests.file, cookie: cookie)
            #expect(posted.status == .seeOther)
            let location = try #require(posted.headers[.location])
            let waiting = try await client.get(location, headers: [.cookie: cookie])
            #expect(waiting.text.contains("http-equiv=\"refresh\"") && waiting.text.contains("waiting"))

            let rounds = BackgroundImportTests.rounds(org)
            _ = try await rounds.round()
            let done = try await client.get(location, headers: [.cookie: cookie])
            #expect(!done.text.contains("http-equiv=\"refresh\"") && done.text.contains("imported") && done.text.contains("New: 2, changed: 0"))

            // A refused file lists its problems in the user's words; nothing is written.
            let broken = try await Self.upload(client, [("_csrf", csrf), ("kind", "accounts"), ("format", "kvota")],
                                               file: "Company;Legal ID\n;1\n", cookie: cookie)
            _ = try await rounds.round()
            let refused = try await client.get(try #require(broken.headers[.location]), headers: [.cookie: cookie])
            #expect(refused.text.contains("not imported") && refused.text.contains("<td>Company</td>"))

            let list = try await client.get("/imports", headers: [.cookie: cookie])
            #expect(list.text.contains(location))

            // No file, or a kind the format does not import: the page again with the reason; no form token: refused.
            let noFile = try await Self.upload(client, [("_csrf", csrf), ("kind", "accounts"), ("format", "kvota")], file: nil, cookie: cookie)
            #expect(noFile.status == .unprocessableContent && noFile.text.contains("file: is required"))
            let wrongKind = try await Self.upload(client, [("_csrf", csrf), ("kind", "calls"), ("format", "1c")], file: "x", cookie: cookie)
            #expect(wrongKind.status == .unprocessableContent)
            let forged = try await Self.upload(client, [("kind", "accounts"), ("format", "kvota")], file: ImportsAPITests.file, cookie: cookie)
            #expect(forged.status == .forbidden)

            // Another rep's import is not theirs to read; an analyst, who adds no records, is not offered the import.
            let (other, _) = try await BrowserSignInTests.signIn(client, as: org.stranger)
            #expect(try await client.get(location, headers: [.cookie: "kvota_session=\(other)"]).status == .notFound)
            let (analyst, _) = try await BrowserSignInTests.signIn(client, as: org.analyst)
            #expect(try await client.get("/accounts", headers: [.cookie: "kvota_session=\(analyst)"]).text.contains("/imports?kind=") == false)
        }
    }
}
