import ValleyCore

// The talent plugin's record kinds: institutions, graduate cohorts and discipline mappings.

/// The largest graduate count a cohort may state; sums over a million cohorts stay exact.
let maximumCohortCount = 1_000_000_000

extension Institution: Record {
    /// Universities, colleges, institutes and platforms.
    public static let kind = RecordKind<Institution>(
        name: "institutions", label: "institution", owner: "talent", fields: InstitutionFields.all,
        names: { [$0.nameEN] + [$0.nameZH].compactMap { $0 } },
        references: [.sources({ $0.sources }) { record, old, new in record.sources = record.sources.compactMap { $0 == old ? new : $0 } }],
        validate: { institution in
            guard !institution.nameEN.isEmpty else { throw ValleyError.invalidValue(field: "name", value: "", expected: "a name") }
        }
    )
}

extension GraduateCohort: Record {
    /// Graduate counts.
    public static let kind = RecordKind<GraduateCohort>(
        name: "cohorts", label: "graduate cohort", title: "graduate cohorts", owner: "talent",
        references: [.sources({ [$0.source] }) { record, old, new in if record.source == old, let new { record.source = new } }],
        validate: { cohort in
            guard (0...maximumCohortCount).contains(cohort.count) else {
                throw ValleyError.invalidValue(field: "count", value: String(cohort.count), expected: "a whole number from 0 to \(maximumCohortCount)")
            }
            guard (1900...2100).contains(cohort.year) else {
                throw ValleyError.invalidValue(field: "year", value: String(cohort.year), expected: "a year 1900–2100")
            }
        }
    )
}

extension ClusterModel {
    /// Universities, colleges, institutes and platforms.
    var institutions: RecordTable<Institution> { self[Institution.self] }
    /// Graduate counts.
    var cohorts: RecordTable<GraduateCohort> { self[GraduateCohort.self] }
    /// Discipline → sector ids.
    var disciplineSectors: [String: [String]] {
        Dictionary(self[DisciplineSectors.self].map { ($0.id, $0.sectors) }, uniquingKeysWith: { first, _ in first })
    }
}
