import Foundation

public struct Pipeline: Hashable, Sendable, Codable {
    public typealias ID = Identifier<Pipeline>
    public var id: ID
    public var name: String
    /// A retired pipeline keeps its deals but takes no new ones.
    public var active: Bool
    public var version: Int64

    public init(id: ID, name: String, active: Bool = true, version: Int64 = 1) {
        self.id = id; self.name = name; self.active = active; self.version = version
    }
}

public enum StageOutcome: String, CaseIterable, Sendable, Codable {
    case open, won, lost
}

public struct Stage: Hashable, Sendable, Codable {
    public typealias ID = Identifier<Stage>
    public var id: ID
    public var pipelineID: Pipeline.ID
    public var position: Int
    public var name: String
    /// The configured win probability in percent, used until the stage has enough history (METRICS.md "Forecast").
    public var probability: Int
    public var outcome: StageOutcome
    /// What a deal must have to enter (see `requirements(entering:in:)`).
    public var requiredFields: Set<DealRequirement>
    /// The sales script for this step of the conversation, and the checklist a rep works through.
    public var script: String?
    public var checklist: [String]
    /// The forecast category a deal takes on entering the stage, unless its rep chose one.
    public var forecastCategory: ForecastCategory
    public var version: Int64

    public init(id: ID, pipelineID: Pipeline.ID, position: Int, name: String, probability: Int, outcome: StageOutcome,
                requiredFields: Set<DealRequirement> = [], script: String? = nil, checklist: [String] = [],
                forecastCategory: ForecastCategory? = nil, version: Int64 = 1) {
        self.id = id; self.pipelineID = pipelineID; self.position = position; self.name = name
        self.probability = probability; self.outcome = outcome
        self.requiredFields = requiredFields; self.script = script; self.checklist = checklist; self.version = version
        self.forecastCategory = forecastCategory ?? ForecastCategory.default(probability: probability, outcome: outcome)
    }
}

public enum ForecastCategory: String, CaseIterable, Sendable, Codable {
    case commit, bestCase = "best_case", pipeline, omitted

    /// A stage's category when none is set: by its odds (70 % and up commit, 40 % best case, else pipeline); a won
    /// stage commits, a lost one is omitted. Migration 29 gave existing stages the same.
    public static func `default`(probability: Int, outcome: StageOutcome) -> ForecastCategory {
        switch outcome {
        case .won: .commit
        case .lost: .omitted
        case .open: probability >= 70 ? .commit : probability >= 40 ? .bestCase : .pipeline
        }
    }
}

public struct Deal: Hashable, Sendable, Codable {
    public typealias ID = Identifier<Deal>
    public var id: ID
    public var title: String
    public var accountID: Account.ID
    public var contactID: Contact.ID?
    public var pipelineID: Pipeline.ID
    public var stageID: Stage.ID
    public var amount: Money
    public var expectedClose: LocalDate?
    public var forecastCategory: ForecastCategory
    public var ownerID: User.ID
    public var status: StageOutcome
    public var createdAt: Date
    public var closedAt: Date?
    public var lossReason: String?
    public var leadID: Lead.ID?
    public var updatedAt: Date
    /// Bumped by every change, for optimistic concurrency.
    public var custom: [String: CustomValue] = [:]
    /// Kvota's last score of the deal while it is open (docs/scoring.md); nil before the first scoring round and once
    /// it is closed. Not part of the record: it changes no version.
    public var score: Score?
    public var version: Int64

    public init(id: ID, title: String, accountID: Account.ID, contactID: Contact.ID?, pipelineID: Pipeline.ID,
                stageID: Stage.ID, amount: Money, expectedClose: LocalDate?, forecastCategory: ForecastCategory,
                ownerID: User.ID, status: StageOutcome, createdAt: Date, closedAt: Date?, lossReason: String?,
                leadID: Lead.ID?, updatedAt: Date? = nil, version: Int64 = 1) {
        self.updatedAt = updatedAt ?? createdAt; self.version = version
        self.id = id; self.title = title; self.accountID = accountID; self.contactID = contactID
        self.pipelineID = pipelineID; self.stageID = stageID; self.amount = amount; self.expectedClose = expectedClose
        self.forecastCategory = forecastCategory; self.ownerID = ownerID; self.status = status
        self.createdAt = createdAt; self.closedAt = closedAt; self.lossReason = lossReason; self.leadID = leadID
    }
}

public struct DealLine: Hashable, Sendable, Codable {
    public typealias ID = Identifier<DealLine>
    public var id: ID
    public var dealID: Deal.ID
    public var productID: Product.ID
    public var quantityMilli: Int64
    public var unitPrice: Money
    public var discountMinor: Int64

    public init(id: ID, dealID: Deal.ID, productID: Product.ID, quantityMilli: Int64, unitPrice: Money,
                discountMinor: Int64) {
        self.id = id; self.dealID = dealID; self.productID = productID; self.quantityMilli = quantityMilli
        self.unitPrice = unitPrice; self.discountMinor = discountMinor
    }
}

/// One entry of a deal's stage history: the deal entered `stageID` at `enteredAt`.
public struct StageChange: Hashable, Sendable, Codable {
    public typealias ID = Identifier<StageChange>
    public var id: ID
    public var dealID: Deal.ID
    public var stageID: Stage.ID
    public var enteredAt: Date
    public var userID: User.ID?

    public init(id: ID, dealID: Deal.ID, stageID: Stage.ID, enteredAt: Date, userID: User.ID?) {
        self.id = id; self.dealID = dealID; self.stageID = stageID; self.enteredAt = enteredAt; self.userID = userID
    }
}

extension StageChange {
    /// Where a page of a deal's stage history ends: the entry's moment in epoch milliseconds, and its id, which orders
    /// entries of the same moment. As a cursor: `1795000000000_42`.
    public struct Position: Hashable, Sendable {
        public var enteredAt: Int64
        public var id: Int64

        public init(enteredAt: Int64, id: Int64) {
            self.enteredAt = enteredAt; self.id = id
        }

        /// Nil for a text that is not a cursor this type wrote.
        public init?(cursor: String) {
            let parts = cursor.split(separator: "_", omittingEmptySubsequences: false)
            guard parts.count == 2, let enteredAt = Int64(parts[0]), let id = Int64(parts[1]) else { return nil }
            self.init(enteredAt: enteredAt, id: id)
        }

        public var cursor: String { "\(enteredAt)_\(id)" }
    }

    public var position: Position { Position(enteredAt: enteredAt.epochMilliseconds, id: id.rawValue) }
}
