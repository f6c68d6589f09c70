import ValleyCore
#if canImport(Glibc)
import Glibc
#endif

/// The policy fields, declared once for `--where` and listings.
enum PolicyFields {
    static let all = RecordFields<Policy>([
        .init("id", .text, "stable id") { .text($0.id) },
        .init("title", .text, "English title") { .text($0.title) },
        .init("title-zh", .text, "Chinese title") { $0.titleZH.map(FieldValue.text) ?? .missing },
        .init("issuer", .text, "who issued it") { .text($0.issuer) },
        .init("level", .text, "national, provincial, municipal, district or park") { .text($0.level.rawValue) },
        .init("instrument", .text, "plan, action-plan, measures, designation, pilot or white-list") { .text($0.instrument.rawValue) },
        .init("issued", .date, "issue date") { .date($0.issued) },
        .init("expiry", .date, "expiry date") { $0.expiry.map(FieldValue.date) ?? .missing },
        .init("status", .text, "standing as reported") { $0.status.map(FieldValue.text) ?? .missing },
        .init("measure", .list, "measures") { .list($0.measures) },
        .init("sector", .list, "targeted sector ids") { .list($0.targetSectors) },
        .init("enterprise", .list, "targeted enterprise ids") { .list($0.targetEnterprises) },
        .init("region", .list, "targeted regions") { .list($0.targetRegions) },
        .init("source", .list, "source ids") { .list($0.sources) },
    ])
}

/// Growth arithmetic that keeps floors honest: a growth computed from a floor is a bound.
enum GrowthMath {
    /// A growth rate in percent, with whether it is exact, a lower bound or an upper bound.
    struct Rate: Equatable {
        enum Bound: Equatable { case exact, atLeast, atMost, unknown }
        let percent: Double
        let bound: Bound

        /// The rate as a typed cell (`n/a (both floors)` stays text: no bound is known).
        var cell: Cell {
            switch bound {
            case .exact: return .bound(percent, digits: 1, limit: .exact)
            case .atLeast: return .bound(percent, digits: 1, limit: .floor)
            case .atMost: return .bound(percent, digits: 1, limit: .ceiling)
            case .unknown: return .text(text)
            }
        }

        var text: String {
            switch bound {
            case .exact: return Cell.format(percent, digits: 1)
            case .atLeast: return "≥ " + Cell.format(percent, digits: 1)
            case .atMost: return "≤ " + Cell.format(percent, digits: 1)
            case .unknown: return "n/a (both floors)"
            }
        }
    }

    /// The compound annual growth from `start` to `end` over `years`.
    static func rate(from start: Observation, to end: Observation) -> Rate? {
        let years = end.period.year - start.period.year
        guard years > 0, start.value > 0, end.value > 0 else { return nil }
        let percent = 100 * (pow(end.value / start.value, 1 / Double(years)) - 1)
        switch (start.isFloor, end.isFloor) {
        case (false, false): return Rate(percent: percent, bound: .exact)
        case (false, true): return Rate(percent: percent, bound: .atLeast)
        case (true, false): return Rate(percent: percent, bound: .atMost)
        case (true, true): return Rate(percent: percent, bound: .unknown)
        }
    }
}
