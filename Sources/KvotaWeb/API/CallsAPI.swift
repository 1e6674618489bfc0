import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `POST /api/v1/calls/originate` (issue 9): click to call. The PBX rings the caller's extension, then the number.
struct CallsAPI {
    let calls: ClickToCall

    struct Body: Decodable { let number: String? }

    func register(on api: RouterGroup<SignedInContext>) {
        api.post("/calls/originate") { request, context -> Response in
            let body = try await JSONBody.decode(Body.self, from: request)
            return try JSONBody.response(try await calls.dial(body.number, by: context.user, actor: context.actor), status: .accepted)
        }
    }
}
