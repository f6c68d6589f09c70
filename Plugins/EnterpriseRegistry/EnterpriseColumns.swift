import ValleyCore

/// What `registry list` shows unless `--fields` says otherwise (the fields themselves are
/// declared once with the enterprise kind: `Enterprise.fields`).
enum EnterpriseFields {
    /// The columns `registry list` shows by default.
    static let defaultColumns = ["id", "name", "name-zh", "sector", "founded", "ticker"]
}
