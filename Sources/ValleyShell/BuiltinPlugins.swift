import EnterpriseRegistry
import LogisticsChecks
import PolicyTimeline
import TalentStatistics
import ValleyCore

/// The built-in plugins, in one array. `PluginListTests` checks it against the `Plugins/` folders.
public let builtinPlugins: [any ValleyPlugin] = [
    PolicyTimelinePlugin(),
    EnterpriseRegistryPlugin(),
    LogisticsChecksPlugin(),
    TalentStatisticsPlugin(),
]

/// The built-in Nanjing data set: every plugin's contribution, merged.
public func defaultModel(plugins: [any ValleyPlugin] = builtinPlugins) -> ClusterModel {
    var model = ClusterModel()
    for plugin in plugins {
        var part = ClusterModel()
        plugin.contributeDefaultData(to: &part)
        model.absorb(part)
    }
    return model
}
