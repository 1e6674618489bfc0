import KvotaCore

extension ValidationFailure {
    /// The store's problems by the form field each is shown at, in the reader's language: a store field the form
    /// calls otherwise is renamed, one it has no field for goes to `otherwise` (or keeps its name), and several
    /// problems at one field are joined.
    func formErrors(in language: KvotaCore.Language, renaming: [String: String] = [:], otherwise: String? = nil) -> [String: String] {
        var fields: [String: String] = [:]
        for error in errors {
            let field = renaming[error.field] ?? otherwise ?? error.field
            let reason = ProblemTexts.translate(error.reason, to: language)
            fields[field] = fields[field].map { "\($0); \(reason)" } ?? reason
        }
        return fields
    }
}
