import ValleyCore

// The policy plugin's record kinds: policies and events.

extension Policy: Record {
    /// Policies, plans and designations.
    public static let kind = RecordKind<Policy>(
        name: "policies", label: "policy", owner: "policy", fields: PolicyFields.all, names: { [$0.title] + [$0.titleZH].compactMap { $0 } },
        references: [
            .list("target-sector", to: Sector.self, get: { $0.targetSectors }, set: { $0.targetSectors = $1 }),
            .list("target-enterprise", to: Enterprise.self, get: { $0.targetEnterprises }, set: { $0.targetEnterprises = $1 }),
            .sources({ $0.sources }) { record, old, new in record.sources = record.sources.compactMap { $0 == old ? new : $0 } },
        ],
        validate: { policy in
            guard !policy.title.isEmpty else { throw ValleyError.invalidValue(field: "title", value: "", expected: "a title") }
            for goal in policy.goals where !goal.value.isFinite || abs(goal.value) > maximumIndicatorValue || !(1900...2200).contains(goal.year) {
                throw ValleyError.invalidValue(field: "goal", value: "\(goal.value) by \(goal.year)",
                                               expected: "a finite value of magnitude at most 1e15 by a year from 1900 to 2200")
            }
        }
    )
}

extension Event: Record {
    /// Dated events; the subject is an enterprise id or a region name (a loose reference).
    public static let kind = RecordKind<Event>(
        name: "events", label: "event", owner: "policy",
        references: [
            .loose("subject", to: Enterprise.self, get: { $0.subject }, set: { $0.subject = $1 }),
            .sources({ $0.sources }) { record, old, new in record.sources = record.sources.compactMap { $0 == old ? new : $0 } },
        ]
    )
}

extension ClusterModel {
    /// Policies, plans and designations.
    var policies: RecordTable<Policy> { self[Policy.self] }
    /// Dated events.
    var events: RecordTable<Event> { self[Event.self] }
}
