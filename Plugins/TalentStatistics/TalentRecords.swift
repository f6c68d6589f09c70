import ArgumentParser
import ValleyCore

/// The institution fields, declared once for `--where`.
enum InstitutionFields {
    static let all: RecordFields<Institution> = RecordFields([
        .init("id", .text, "stable id") { .text($0.id) },
        .init("name", .text, "English name") { .text($0.nameEN) },
        .init("name-zh", .text, "Chinese name") { $0.nameZH.map(FieldValue.text) ?? .missing },
        .init("kind", .text, "comprehensive-university, specialised-university, specialised-college, research-institute or platform") { .text($0.kind.rawValue) },
        .init("city", .text, "city") { .text($0.city) },
        .init("discipline", .list, "disciplines") { .list($0.disciplines) },
        .init("source", .list, "source ids") { .list($0.sources) },
    ])
}

extension Institution.Kind: ExpressibleByArgument {}
extension GraduateCohort.Level: ExpressibleByArgument {}

extension ClusterModel {
    /// A cohort's population as stored: the id of the institution `text` names (by id, name
    /// or Chinese name, any case: `Nanjing University` → `nju`), else the text (a region).
    func population(_ text: String) -> String {
        (try? resolveID(Institution.self, text)) ?? text
    }

    /// The institution with this id or name.
    func institution(named name: String) throws -> Institution {
        try resolve(Institution.self, name)
    }
}

/// A count that may be a floor ("over 60,000"); a sum with a floor in it is a floor.
struct GraduateCount: Equatable {
    var value: Int
    var isFloor: Bool

    static let zero = GraduateCount(value: 0, isFloor: false)

    static func + (lhs: GraduateCount, rhs: GraduateCount) -> GraduateCount {
        GraduateCount(value: lhs.value + rhs.value, isFloor: lhs.isFloor || rhs.isFloor)
    }

    /// `≥ 60000` for a floor.
    var text: String { cell.text }

    /// The count as a typed cell: JSON `{"value": 60000, "floor": true}`.
    var cell: Cell { .bound(Double(value), digits: 0, limit: isFloor ? .floor : .exact) }
}

/// Which cohorts a talent command looks at, and the scope rule every total obeys.
enum CohortSelection {
    /// Cohorts of one definition and scope, or an error naming the colliding scopes.
    static func checkScopes(_ cohorts: [GraduateCohort], mixScopes: Bool) throws {
        let scopes = Array(Set(cohorts.map(\.scope))).sorted()
        if scopes.count > 1, !mixScopes {
            throw ValleyError.refused("these figures have different scopes (\(scopes.joined(separator: "; "))): they are not summed or compared; "
                + "narrow with --year or --where, or pass --mix-scopes")
        }
    }

    /// The grouping key of a cohort for `--by`.
    static func key(_ cohort: GraduateCohort, by: TalentGrouping, model: ClusterModel) -> String {
        switch by {
        case .level: return cohort.level.rawValue
        case .discipline: return cohort.discipline
        case .institution: return cohort.population
        case .kind:
            return model.institutions[id: cohort.population]?.kind.rawValue ?? "region (\(cohort.population))"
        case .scope: return cohort.scope
        }
    }
}

/// What talent totals can be broken down by.
enum TalentGrouping: String, ExpressibleByArgument, CaseIterable {
    case level, discipline, institution, kind, scope
}
