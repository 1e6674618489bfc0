import KvotaCore

extension DealPatch {
    /// A new deal in `stage`, in euros, expected to close on 30 November 2026: every field a won or late stage asks for.
    static func fixture(_ title: String, account: Account.ID, pipeline: Pipeline.ID, stage: Stage.ID, owner: User.ID,
                        amountMinor: Int64) throws -> DealPatch {
        var patch = DealPatch()
        patch.title = title
        patch.accountID = account
        patch.pipelineID = pipeline
        patch.stageID = stage
        patch.amountMinor = amountMinor
        patch.currency = "EUR"
        patch.expectedClose = .some(try LocalDate(iso: "2026-11-30"))
        patch.ownerID = owner
        return patch
    }
}
