import ArgumentParser
import ValleyCore

/// Talent statistics: graduates, institutions and programmes, with scopes and floors kept.
public struct TalentStatisticsPlugin: ValleyPlugin {
    /// Creates the plugin.
    public init() {}

    public var namespace: String { "talent" }
    public var summary: String { "Graduates, institutions and programmes: totals, growth, shares, supply and demand." }
    public var commands: [any ParsableCommand.Type] { [TalentCommand.self] }

    public func argumentValues(for path: [String], option: String?) -> ArgumentValues? {
        switch (path.dropFirst().first, option) {
        case ("institution", nil), (_, "--institution"): return .records(Institution.kind.name)
        case ("map", nil): return .records(DisciplineSectors.kind.name)
        case ("import", nil): return .files
        case ("institutions", "--where"): return .filter(Institution.kind.name)
        case (_, "--svg"): return .files
        default: return nil
        }
    }

    public var kinds: [any AnyRecordKind] { [Institution.kind, GraduateCohort.kind, DisciplineSectors.kind] }

    public func contributeDefaultData(to model: inout ClusterModel) throws {
        try TalentDefaultData.contribute(to: &model)
    }
}

/// `talent`: the namespace's command group.
struct TalentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "talent", abstract: "Talent statistics.",
        subcommands: [
            TalentInstitutions.self, TalentInstitution.self, TalentCohort.self, TalentImport.self, TalentSummary.self, TalentGrowth.self,
            TalentRank.self, TalentMap.self, TalentSupplyDemand.self, TalentChart.self,
        ])
}
