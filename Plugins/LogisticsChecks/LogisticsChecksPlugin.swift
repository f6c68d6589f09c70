import ArgumentParser
import ValleyCore

/// Logistics checks: can a cold-chain shipment make its window, and where is the slack.
public struct LogisticsChecksPlugin: ValleyPlugin {
    /// Creates the plugin.
    public init() {}

    public var namespace: String { "logistics" }
    public var summary: String { "Cold-chain shipments: routes, profiles, time limits, slack and the critical leg." }
    public var commands: [any ParsableCommand.Type] { [LogisticsCommand.self] }

    public func argumentValues(for path: [String], option: String?) -> ArgumentValues? {
        switch (path.dropFirst().first, option) {
        case (_, "--cargo"): return .records(CargoProfile.kind.name)
        case (_, "--from"), (_, "--to"), (_, "--site"): return .records(Site.kind.name)
        case (_, "--enterprise"): return .records(Enterprise.kind.name)
        case (_, "--leg"): return .records(Leg.kind.name)
        case ("audit", nil): return .files
        case ("earliest", nil): return .records(Site.kind.name)
        case ("route", nil) where path.count > 2 && path[2] == "show": return .records(Route.kind.name)
        case ("check", nil), ("whatif", nil), ("sweep", nil): return .records(Route.kind.name)
        default: return nil
        }
    }

    public var kinds: [any AnyRecordKind] { [CargoProfile.kind, Site.kind, Leg.kind, Route.kind] }

    public func contributeDefaultData(to model: inout ClusterModel) throws {
        try LogisticsDefaultData.contribute(to: &model)
    }
}

/// `logistics`: the namespace's command group.
struct LogisticsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logistics", abstract: "Cold-chain shipment checks.",
        subcommands: [
            LogisticsProfiles.self, LogisticsSite.self, LogisticsLeg.self, LogisticsRoute.self, LogisticsCheck.self,
            LogisticsWhatIf.self, LogisticsSweep.self, LogisticsEarliest.self, LogisticsAudit.self,
        ])
}
