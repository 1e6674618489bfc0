import Foundation

/// One way to reach a contact: a phone (E.164), an email, or a messenger handle. A contact has as many as it needs;
/// the first phone and the first email are the ones lists show and the phone rings.
public struct ContactChannel: Hashable, Sendable, Codable {
    public enum Kind: String, CaseIterable, Sendable, Codable { case phone, email, telegram, whatsapp, viber, signal, skype, other }

    public var kind: Kind
    public var value: String
    /// "mobile", "office", "private"… as the rep writes it.
    public var label: String?

    public init(kind: Kind, value: String, label: String? = nil) {
        self.kind = kind; self.value = value; self.label = label
    }

    /// Normalised for storage and comparison: phones in E.164 (national numbers read for `country`), emails in lower
    /// case, handles trimmed; a problem with the value is named at `field`, one with the label at `labelField`.
    public func normalised(country: String, field: String, labelField: String? = nil,
                           into errors: inout ValidationFailure.Collector) -> ContactChannel {
        var channel = self
        channel.value = value.trimmingCharacters(in: .whitespacesAndNewlines)
        channel.label = label.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        errors.check(!channel.value.isEmpty && channel.value.count <= 200, field, "expected 1 to 200 characters")
        errors.check((channel.label?.count ?? 0) <= 50, labelField ?? field, "labels are at most 50 characters")
        guard !channel.value.isEmpty else { return channel }
        switch kind {
        case .phone:
            do throws(ValueError) { channel.value = try PhoneNumber.e164(channel.value, country: country, field: field) } catch {
                errors.check(false, error.field, error.reason)
            }
        case .email:
            channel.value = channel.value.lowercased()
            errors.check(UserDraft.looksLikeEmail(channel.value), field, "expected an address like name@example.com, got '\(channel.value)'")
        default:
            break
        }
        return channel
    }
}

extension Contact {
    /// Keeps `phone` and `email` the first of their kind among `channels`.
    public mutating func syncPrimary() {
        phone = channels.first { $0.kind == .phone }?.value
        email = channels.first { $0.kind == .email }?.value
    }

    /// Puts `value` as the first channel of `kind` (or removes that first one when nil), keeping the others.
    mutating func setPrimary(_ kind: ContactChannel.Kind, _ value: String?) {
        let index = channels.firstIndex { $0.kind == kind }
        switch (index, value) {
        case (let index?, let value?): channels[index].value = value
        case (let index?, nil): channels.remove(at: index)
        case (nil, let value?): channels.append(ContactChannel(kind: kind, value: value))
        case (nil, nil): break
        }
    }
}
