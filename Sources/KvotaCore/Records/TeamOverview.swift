/// A team at a glance for its head: per member, the open deals and their sum, open and overdue tasks and meetings,
/// and new leads not yet answered.
public struct TeamOverview: Sendable {
    public struct Member: Sendable {
        public var user: User
        public var openDeals: Int
        /// Sums per currency, largest first.
        public var openAmounts: [Money]
        public var openTasks: Int
        public var overdueTasks: Int
        public var newLeads: Int

        public init(user: User, openDeals: Int, openAmounts: [Money], openTasks: Int, overdueTasks: Int, newLeads: Int) {
            self.user = user; self.openDeals = openDeals; self.openAmounts = openAmounts; self.openTasks = openTasks
            self.overdueTasks = overdueTasks; self.newLeads = newLeads
        }
    }

    public var team: Team
    public var members: [Member]

    public init(team: Team, members: [Member]) {
        self.team = team; self.members = members
    }
}
