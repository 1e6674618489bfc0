import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// Click to call (issue 9), for the API and the pages alike: the PBX rings the signed-in person's own extension and,
/// when they pick up, dials the customer. The call itself comes back through the AMI stream like any call out, so it
/// lands on the customer's record and completes a callback task as a dialled call would.
struct ClickToCall {
    let database: Database
    let config: AppConfig
    /// The live AMI connection's actions; nil when no PBX is configured.
    let pbx: AMIActions?

    struct Placed: Encodable { let number: String; let `extension`: String; let actionId: String; let message: String }

    func dial(_ text: String?, by user: User, actor: Actor) async throws -> Placed {
        guard AccessPolicy.scope(actor, .create, .activity) != .nothing else { throw AccessDenied.forbidden(.create, .activity) }
        var errors = ValidationFailure.Collector()
        var number = ""
        let country = try await database.defaultCountry()
        if let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            do throws(ValueError) { number = try PhoneNumber.e164(text, country: country, field: "number") } catch {
                errors.check(false, error.field, error.reason)
            }
        } else {
            errors.check(false, "number", "is required")
        }
        errors.check(user.phoneExtension != nil, "extension", "you have no phone extension; an admin gives you one")
        try errors.finish()
        guard let pbx, let endpoint = config.ami else {
            throw HTTPError(.serviceUnavailable, message: "click to call needs the PBX connection (KVOTA_AMI_URL), which this server does not have")
        }
        let id = await pbx.nextID()
        let action = endpoint.originate.action(extension: user.phoneExtension!, number: number, user: user.id, actionID: id)
        let answer: AMIMessage
        do {
            answer = try await pbx.send(action)
        } catch AMIActions.Failure.notConnected {
            throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "30"], message: "the PBX is not connected just now; try again in a minute")
        } catch AMIActions.Failure.noAnswer {
            throw HTTPError(.gatewayTimeout, message: "the PBX did not answer the call request")
        }
        guard answer["Response"] == "Success" else {
            throw HTTPError(.badGateway, message: "the PBX refused the call: \(answer["Message"] ?? "no reason given")")
        }
        return Placed(number: number, extension: user.phoneExtension!, actionId: id, message: answer["Message"] ?? "")
    }
}
