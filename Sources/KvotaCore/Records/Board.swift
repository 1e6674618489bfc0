import Foundation

/// A pipeline as a board: a column per stage with how many open deals it holds and their sum per currency, and the
/// most recently changed cards. Won and lost stages are columns too, holding the deals closed in the board's month.
public struct Board: Sendable {
    public struct Card: Sendable {
        public var deal: Deal
        public var accountName: String
        public var ownerName: String
        /// When the deal entered its stage (nil for deals older than the stage history).
        public var inStageSince: Date?

        public init(deal: Deal, accountName: String, ownerName: String, inStageSince: Date?) {
            self.deal = deal; self.accountName = accountName; self.ownerName = ownerName; self.inStageSince = inStageSince
        }
    }

    public struct Column: Sendable {
        public var stage: Stage
        public var count: Int
        /// Sums per currency, largest first: deals keep the currency they were sold in.
        public var sums: [Money]
        public var cards: [Card]

        public init(stage: Stage, count: Int, sums: [Money], cards: [Card]) {
            self.stage = stage; self.count = count; self.sums = sums; self.cards = cards
        }
    }

    /// Who the board is for: everyone the viewer may see, one owner, or one team's members.
    public struct Filter: Hashable, Sendable {
        public var ownerID: User.ID?
        public var teamID: Team.ID?
        /// Which cards a column shows first: the latest changed, or the best scored (docs/scoring.md).
        public var byScore: Bool

        public init(ownerID: User.ID? = nil, teamID: Team.ID? = nil, byScore: Bool = false) {
            self.ownerID = ownerID; self.teamID = teamID; self.byScore = byScore
        }
    }

    /// Cards shown per column; the column's count says how many there are.
    public static let cardsPerColumn = 30

    public var pipeline: Pipeline
    public var columns: [Column]

    public init(pipeline: Pipeline, columns: [Column]) {
        self.pipeline = pipeline; self.columns = columns
    }
}
