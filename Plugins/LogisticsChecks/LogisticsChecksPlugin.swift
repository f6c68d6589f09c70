import ArgumentParser
import ValleyCore

/// Logistics checks: can a cold-chain shipment make its window, and where is the slack.
public struct LogisticsChecksPlugin: ValleyPlugin {
    /// Creates the plugin.
    public init() {}

    public var namespace: String { "logistics" }
    public var summary: String { "Cold-chain shipments: routes, profiles, time limits, slack and the critical leg." }
    public var commands: [any ParsableCommand.Type] { [LogisticsCommand.self] }

    public func completions(for path: [String], in model: ClusterModel) -> [String] {
        switch path.dropFirst().first {
        case "route", "check", "whatif", "sweep": return model.routes.map(\.id) + model.cargoProfiles.map(\.id)
        case "earliest": return model.sites.map(\.id)
        case "audit": return model.cargoProfiles.map(\.id)
        default: return []
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
