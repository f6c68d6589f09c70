import ArgumentParser
import ValleyCore

/// Policy timelines: which policies, designations and plans came when, and what the indicators did.
public struct PolicyTimelinePlugin: ValleyPlugin {
    /// Creates the plugin.
    public init() {}

    public var namespace: String { "policy" }
    public var summary: String { "Policies, designations and plans over time; indicators before and after." }
    public var commands: [any ParsableCommand.Type] { [PolicyCommand.self, IndicatorCommand.self, SourcesCommand.self] }

    public func completions(for path: [String], in model: ClusterModel) -> [String] {
        switch (path.first, path.dropFirst().first) {
        case ("policy", "show"), ("policy", "targets"), ("policy", "impact"): return model.policies.map(\.id)
        case ("indicator", "show"), ("indicator", "series"), ("indicator", "observe"): return model.indicators.map(\.id)
        default: return []
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
