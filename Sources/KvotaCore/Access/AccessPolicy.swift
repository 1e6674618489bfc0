/// The kinds of record access control decides on.
public enum RecordKind: String, CaseIterable, Sendable {
    /// Business records: each has an owner (a contact through its account).
    case account, contact, lead, deal, activity, order
    /// The catalogue and its category tree: everyone reads them; directors and admins change them.
    case product, productCategory = "product category"
    /// Pipelines with their stages, scripts and checklists: everyone reads them; heads of sales, directors and
    /// admins write them (they are the team's sales regulations).
    case pipeline
    /// Sales territories, the lists a form offers (loss reasons) and the fields admins add to records: everyone
    /// reads them; admins change them.
    case region, lossReason = "loss reason", customField = "custom field", leadSource = "lead source"
    /// The intake of inbound requests: the web forms on the company's site and the rules that give requests their
    /// owners. Everyone reads them (a rep sees why a lead came to them); admins change them.
    case webForm = "web form", assignmentRule = "assignment rule"
    /// A request from outside (a form post, an integration's lead, a messenger message). Integrations post them with
    /// an admin's token; admins, directors and analysts read the log (a request's lead is read as leads are).
    case inboundRequest = "inbound request"
    /// Whether a user is on shift, taking new requests by round-robin: each sales person switches their own, a head
    /// their team's, directors and admins anyone's; analysts read it.
    case shift
    /// The organisation: admins change it; heads, directors and analysts read it; everyone sees themselves.
    case user, team
    /// Append-only; written by Kvota itself, read by admins and directors.
    case audit
    /// Company settings and integration tokens: admins only.
    case settings, integration
    /// A user's own named list filters: theirs alone, whatever the role (a head does not see the team's).
    case savedView = "saved view"
    /// Sales plans: not owned but about a subject (the company, a team, a user). Reps see their own; a head sees the
    /// plans of the teams they lead and their members' and sets the members'; directors and admins set any; analysts
    /// read all.
    case plan
    /// Compensation schemes and the KPI targets pay reads: directors and admins set them; heads and analysts read them.
    case compensationScheme = "compensation scheme", kpiTarget = "KPI target"
    /// A user's pay for a month: theirs to read (a head's team's); directors and admins approve them; analysts read all.
    case payout
    /// An alert as one recipient has it: theirs alone, whatever the role, to read, mark seen and resolve. Kvota
    /// raises them; nobody creates or deletes one.
    case alert
    /// SWOT boards with their items: directors and admins keep any; a head keeps the boards of the teams they lead
    /// and reads the rest; analysts read all.
    case swot = "SWOT board"
    /// Quality-control scorecards: everyone reads them; heads, directors and admins make them (as the team's regulations).
    case scorecard
    /// A review of a rep's call, meeting or test purchase, owned by the rep reviewed: the rep reads their own; a head
    /// reviews their team's; directors and admins all; analysts read all.
    case review
    /// Key-customer survey templates and sendings: heads, directors and admins make and send them; everyone but the
    /// order desk reads them (a sending's recipients and answers only as far as `surveyResponse` reaches).
    case survey
    /// A contact's answer to a survey, about an account: readable as the account is by sales (reps their own
    /// customers', heads their team's; directors, admins and analysts all). People never write one; the respondent's
    /// link does.
    case surveyResponse = "survey response"
    /// The sales library (scripts, regulations, guides, linked from stages) and the onboarding checklist's steps:
    /// everyone reads them; heads, directors and admins write them (the team's regulations, like pipelines).
    case libraryDocument = "library document", onboardingStep = "onboarding step"
    /// A rep's courses, webinars and mentoring sessions, owned by the rep trained: the rep reads their own; a head
    /// keeps their team's; directors and admins all; analysts read all.
    case training = "training record"
    /// A rep's ticks on the onboarding checklist: as training, except that a rep ticks their own steps too.
    case onboarding
    /// A head's adjustment of a rep's commit forecast for a month, owned by the rep it adjusts: the rep reads their
    /// own; a head reads their team's and adjusts their members' (not their own, which comes from above); directors
    /// and admins adjust anyone's; analysts read all.
    case forecastAdjustment = "forecast adjustment"
    /// A background import (docs/import.md): its uploader follows it, admins see everyone's; nobody changes one. What
    /// it may write, the import asks of its records' own kinds.
    case importJob = "import"
}

public enum AccessAction: String, CaseIterable, Sendable {
    case list, read, create, update, delete, export

    var changes: Bool { self == .create || self == .update || self == .delete }
}

/// Which records of a kind an actor may act on. For `create`, `ownedBy` limits whom the new record may belong to.
public enum AccessScope: Hashable, Sendable {
    case nothing
    case all
    /// Records whose owner (for a contact: its account's owner) is one of these users.
    case ownedBy(Set<User.ID>)
    /// Records about a subject (plans): those of these teams and these users, never the company's.
    case concerning(teams: Set<Team.ID>, users: Set<User.ID>)

    public func allows(owner: User.ID?) -> Bool {
        switch self {
        case .nothing: false
        case .all: true
        case .ownedBy(let owners): owner.map(owners.contains) ?? false
        case .concerning(_, let users): owner.map(users.contains) ?? false
        }
    }

    public func allows(_ subject: PlanSubject) -> Bool {
        switch (self, subject) {
        case (.nothing, _): false
        case (.all, _): true
        case (.ownedBy(let users), .user(let user)), (.concerning(_, let users), .user(let user)): users.contains(user)
        case (.concerning(let teams, _), .team(let team)): teams.contains(team)
        case (.ownedBy, _), (.concerning, _): false
        }
    }
}

/// The one place that decides who may do what (DESIGN.md "Who uses it"; docs/access.md has the table). Every read
/// and write in the store asks it; nothing filters by role anywhere else.
public enum AccessPolicy {
    public static func scope(_ actor: Actor, _ action: AccessAction, _ kind: RecordKind) -> AccessScope {
        switch kind {
        case .account, .contact, .lead, .deal, .activity, .order:
            business(actor, action, kind)
        case .product, .productCategory:
            action.changes ? (actor.role == .director || actor.role == .admin ? .all : .nothing) : .all
        case .pipeline, .scorecard, .libraryDocument, .onboardingStep:
            action.changes ? ([.head, .director, .admin].contains(actor.role) ? .all : .nothing) : .all
        case .training, .onboarding:
            switch actor.role {
            case .admin, .director: .all
            case .analyst: action.changes ? .nothing : .all
            case .head: .ownedBy(actor.teamMembers)
            case .rep: kind == .onboarding && action == .update || !action.changes ? .ownedBy([actor.userID]) : .nothing
            case .orderDesk: .nothing
            }
        case .review:
            switch actor.role {
            case .admin, .director: .all
            case .analyst: action.changes ? .nothing : .all
            case .head: .ownedBy(actor.teamMembers)
            case .rep: action.changes ? .nothing : .ownedBy([actor.userID])
            case .orderDesk: .nothing
            }
        case .survey:
            actor.role == .orderDesk ? .nothing : action.changes ? ([.head, .director, .admin].contains(actor.role) ? .all : .nothing) : .all
        case .surveyResponse:
            switch actor.role {
            case .admin, .director, .analyst: action.changes ? .nothing : .all
            case .head: action.changes ? .nothing : .ownedBy(actor.teamMembers)
            case .rep: action.changes ? .nothing : .ownedBy([actor.userID])
            case .orderDesk: .nothing
            }
        case .region, .lossReason, .customField, .leadSource, .webForm, .assignmentRule:
            action.changes ? (actor.role == .admin ? .all : .nothing) : .all
        case .inboundRequest:
            switch actor.role {
            case .admin: action == .update || action == .delete ? .nothing : .all
            case .director, .analyst: action.changes ? .nothing : .all
            case .head, .rep, .orderDesk: .nothing
            }
        case .shift:
            switch actor.role {
            case .admin, .director: action == .create || action == .delete ? .nothing : .all
            case .analyst: action.changes ? .nothing : .all
            case .head: action == .create || action == .delete ? .nothing : .ownedBy(actor.teamMembers)
            case .rep: action == .create || action == .delete ? .nothing : .ownedBy([actor.userID])
            case .orderDesk: .nothing
            }
        case .user, .team:
            switch actor.role {
            case .admin: .all
            case .head, .director, .analyst: action.changes ? .nothing : .all
            case .rep, .orderDesk: .nothing
            }
        case .audit:
            action.changes ? .nothing : (actor.role == .director || actor.role == .admin ? .all : .nothing)
        case .settings, .integration:
            actor.role == .admin ? .all : .nothing
        case .savedView:
            .ownedBy([actor.userID])
        case .importJob:
            action == .update || action == .delete ? .nothing : actor.role == .admin ? .all : .ownedBy([actor.userID])
        case .alert:
            action == .create || action == .delete ? .nothing : .ownedBy([actor.userID])
        case .plan:
            plans(actor, action)
        case .swot:
            switch actor.role {
            case .admin, .director: .all
            case .analyst: action.changes ? .nothing : .all
            case .head: action.changes ? .concerning(teams: actor.ledTeams, users: []) : .all
            case .rep, .orderDesk: .nothing
            }
        case .compensationScheme, .kpiTarget:
            switch actor.role {
            case .admin, .director: .all
            case .head, .analyst: action.changes ? .nothing : .all
            case .rep, .orderDesk: .nothing
            }
        case .payout:
            switch actor.role {
            case .admin, .director: .all
            case .analyst: action.changes ? .nothing : .all
            case .head: action.changes ? .nothing : .ownedBy(actor.teamMembers)
            case .rep: action.changes ? .nothing : .ownedBy([actor.userID])
            case .orderDesk: .nothing
            }
        case .forecastAdjustment:
            switch actor.role {
            case .admin, .director: .all
            case .analyst: action.changes ? .nothing : .all
            case .head: action.changes ? .ownedBy(actor.teamMembers.subtracting([actor.userID])) : .ownedBy(actor.teamMembers)
            case .rep: action.changes ? .nothing : .ownedBy([actor.userID])
            case .orderDesk: .nothing
            }
        }
    }

    /// Checks an action on a plan about `subject`, as `require(_:_:_:id:owner:)` does for owned records.
    public static func require(_ actor: Actor, _ action: AccessAction, planAbout subject: PlanSubject, id: Int64) throws(AccessDenied) {
        guard scope(actor, .read, .plan).allows(subject) else { throw .notFound(.plan, id: id) }
        guard scope(actor, action, .plan).allows(subject) else { throw .forbidden(action, .plan) }
    }

    /// Whether the actor sees every deal and order of a plan subject (the company, a team, a person): what a number
    /// taken over all of them, such as a forecast snapshot, needs before the actor may read it.
    public static func seesWhole(_ actor: Actor, _ subject: PlanSubject) -> Bool {
        let deals = scope(actor, .list, .deal), orders = scope(actor, .list, .order)
        switch subject {
        case .company: return deals == .all && orders == .all
        case .team(let team): return deals == .all && orders == .all || actor.ledTeams.contains(team)
        case .user(let user): return deals.allows(owner: user) && orders.allows(owner: user)
        }
    }

    public static func allows(_ actor: Actor, _ action: AccessAction, _ kind: RecordKind, owner: User.ID?) -> Bool {
        scope(actor, action, kind).allows(owner: owner)
    }

    /// Checks an action on one existing record. A record the actor may not read is `notFound`, exactly as if it did
    /// not exist, so ids do not leak; a record they may read but not change this way is `forbidden`.
    public static func require(_ actor: Actor, _ action: AccessAction, _ kind: RecordKind, id: Int64,
                               owner: User.ID?) throws(AccessDenied) {
        guard allows(actor, .read, kind, owner: owner) else { throw .notFound(kind, id: id) }
        guard allows(actor, action, kind, owner: owner) else { throw .forbidden(action, kind) }
    }

    /// Checks an action on a whole kind (listing, exporting, creating): `forbidden` when the actor may do it to none.
    public static func require(_ actor: Actor, _ action: AccessAction, _ kind: RecordKind) throws(AccessDenied) -> AccessScope {
        let scope = scope(actor, action, kind)
        if scope == .nothing { throw .forbidden(action, kind) }
        return scope
    }

    private static func plans(_ actor: Actor, _ action: AccessAction) -> AccessScope {
        switch actor.role {
        case .admin, .director: .all
        case .analyst: action.changes ? .nothing : .all
        case .orderDesk: .nothing
        // A head sets their members' plans, not their own or their team's: those come from above.
        case .head: action.changes ? .concerning(teams: [], users: actor.teamMembers.subtracting([actor.userID]))
                                   : .concerning(teams: actor.ledTeams, users: actor.teamMembers)
        case .rep: action.changes ? .nothing : .concerning(teams: [], users: [actor.userID])
        }
    }

    private static func business(_ actor: Actor, _ action: AccessAction, _ kind: RecordKind) -> AccessScope {
        switch actor.role {
        case .admin, .director:
            return .all
        case .analyst:
            return action.changes ? .nothing : .all
        case .orderDesk:
            switch kind {
            case .account, .contact: return action == .delete ? .nothing : .all
            case .order: return .all
            case .deal: return action.changes ? .nothing : .all
            case .activity: return .ownedBy([actor.userID])
            default: return .nothing
            }
        case .head, .rep:
            let own: Set<User.ID> = actor.role == .head ? actor.teamMembers : [actor.userID]
            // Orders are the order desk's to write; sales sees its own. Deleting customers, deals and leads is a
            // head's decision (a rep closes a deal as lost instead); a rep may delete their own activities.
            if kind == .order && action.changes { return .nothing }
            if action == .delete && actor.role == .rep && kind != .activity { return .nothing }
            return .ownedBy(own)
        }
    }
}
