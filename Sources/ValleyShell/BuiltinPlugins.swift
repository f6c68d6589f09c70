import EnterpriseRegistry
import LogisticsChecks
import PolicyTimeline
import TalentStatistics
@_spi(Shell) import ValleyCore

/// The built-in plugins, in one array. `PluginListTests` checks it against the `Plugins/` folders.
public let builtinPlugins: [any ValleyPlugin] = [
    PolicyTimelinePlugin(),
    EnterpriseRegistryPlugin(),
    LogisticsChecksPlugin(),
    TalentStatisticsPlugin(),
]

/// Every record kind: core's, then each plugin's in order.
public func recordKinds(plugins: [any ValleyPlugin] = builtinPlugins) -> [any AnyRecordKind] {
    ClusterModel.coreKinds + plugins.flatMap(\.kinds)
}

/// An empty model with a table for every kind of these plugins.
public func emptyModel(plugins: [any ValleyPlugin] = builtinPlugins) -> ClusterModel {
    ClusterModel(kinds: recordKinds(plugins: plugins))
}

/// The built-in Nanjing data set: the public sources, then every plugin's contribution,
/// each record through the kinds' validation (references checked once at the end).
public func defaultModel(plugins: [any ValleyPlugin] = builtinPlugins) -> ClusterModel {
    var model = emptyModel(plugins: plugins)
    do {
        try model.load { model in
            try model.insert(contentsOf: PublicSources.all)
            for plugin in plugins { try plugin.contributeDefaultData(to: &model) }
        }
    } catch {
        // The built-in data is part of the program; the tests load it on every run.
        preconditionFailure("the built-in data set is invalid: \(ValleyError.describe(error))")
    }
    _ = model.takeChanges()
    return model
}
