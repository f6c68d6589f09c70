import ArgumentParser
import ValleyCore

/// Policy timelines: which policies, designations and plans came when, and what the indicators did.
public struct PolicyTimelinePlugin: ValleyPlugin {
    /// Creates the plugin.
    public init() {}

    public var namespace: String { "policy" }
    public var summary: String { "Policies, designations and plans over time; indicators before and after." }
    public var commands: [any ParsableCommand.Type] { [PolicyCommand.self, IndicatorCommand.self, SourcesCommand.self] }

    public func argumentValues(for path: [String], option: String?) -> ArgumentValues? {
        switch (path.first, path.dropFirst().first, option) {
        case ("policy", "show", nil), ("policy", "targets", nil), ("policy", "impact", nil), (_, _, "--policy"): return .records(Policy.kind.name)
        case ("indicator", "show", nil), ("indicator", "series", nil), ("indicator", "observe", nil), (_, _, "--indicator"):
            return .records(Indicator.kind.name)
        case ("sources", nil, nil), ("sources", "show", nil): return .records(Source.kind.name)
        case ("policy", _, "--where"): return .filter(Policy.kind.name)
        case ("policy", _, "--by"), ("policy", _, "--sort"), ("policy", _, "--fields"): return .fields(Policy.kind.name)
        case (_, _, "--target-sector"): return .records(Sector.kind.name)
        case (_, _, "--target-enterprise"): return .records(Enterprise.kind.name)
        case (_, _, "--svg"): return .files
        default: return nil
        }
    }

    public var kinds: [any AnyRecordKind] { [Policy.kind, Event.kind] }

    public func contributeDefaultData(to model: inout ClusterModel) throws {
        try PolicyDefaultData.contribute(to: &model)
    }
}

/// `policy`: the namespace's command group.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Policies, plans and designations.",
        subcommands: [PolicyList.self, PolicyShow.self, PolicyAdd.self, PolicyEvents.self, PolicyTargets.self, PolicyImpact.self, PolicyTimelineCommand.self])
}

/// `indicator`: indicators and their observations.
struct IndicatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicator", abstract: "Indicators and their observations.",
        subcommands: [IndicatorList.self, IndicatorShow.self, IndicatorAdd.self, IndicatorObserve.self, IndicatorSeries.self])
}
