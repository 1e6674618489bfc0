import Hummingbird
import HummingbirdAuth
import KvotaCore
import NIOCore

/// Who is signed in, as every signed-in handler sees it: the user, the actor access control decides for, and how
/// they came in (a browser session carries a CSRF token; a bearer token carries a scope).
public struct SignedIn: Sendable {
    public enum Credential: Sendable {
        case session(idHash: String, csrfToken: String)
        case token(APIToken)
    }

    public let user: User
    public let actor: Actor
    public let credential: Credential
}

/// The context of every request: who is signed in, if anyone, and the client's address.
public struct AppRequestContext: AuthRequestContext, RemoteAddressRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: SignedIn?
    public let remoteAddress: SocketAddress?
    /// The client's address for throttling and the audit trail: the socket's peer, or what a trusted proxy forwarded.
    public var clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.remoteAddress = source.channel.remoteAddress
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// The context of routes that need a signed-in user. It exists only once authentication succeeded, so a handler
/// in a signed-in group cannot forget to check (STYLE.md "Shape").
public struct SignedInContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let signedIn: SignedIn
    /// The client address as the audit trail and throttling record it.
    public let address: String

    public init(context: AppRequestContext) throws {
        guard let signedIn = context.identity else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "sign in first")
        }
        self.coreContext = context.coreContext
        self.signedIn = signedIn
        self.address = context.clientAddress
    }

    public var actor: Actor { signedIn.actor }
    public var user: User { signedIn.user }
}
