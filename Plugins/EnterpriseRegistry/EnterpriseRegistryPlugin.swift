import ArgumentParser
import ValleyCore

/// The enterprise registry: which companies are in the cluster, in which sectors, with which designations.
public struct EnterpriseRegistryPlugin: ValleyPlugin {
    /// Creates the plugin.
    public init() {}

    public var namespace: String { "registry" }
    public var summary: String { "Companies in the cluster: sectors, designations, listings; counts and filters." }
    public var commands: [any ParsableCommand.Type] { [RegistryCommand.self] }

    public func argumentValues(for path: [String], option: String?) -> ArgumentValues? {
        guard path.first == "registry" else { return nil }
        let enterprises = Enterprise.kind.name
        switch (path.dropFirst().first, option) {
        case ("show", nil), ("remove", nil), ("update", nil), ("merge", nil), (_, "--into"): return .records(enterprises)
        case ("import", nil), ("export", nil), (_, "--rejects"): return .files
        case (_, "--where"): return .filter(enterprises)
        case (_, "--by"), (_, "--sort"), (_, "--fields"): return .fields(enterprises)
        default: return nil
        }
    }

    public func contributeDefaultData(to model: inout ClusterModel) throws {
        try RegistryDefaultData.contribute(to: &model)
    }
}

/// `registry`: the namespace's command group.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "The enterprise registry.",
        subcommands: [
            RegistryList.self, RegistryShow.self, RegistryFind.self, RegistryCountCommand.self, RegistryAdd.self, RegistryUpdate.self,
            RegistryRemove.self, RegistryImport.self, RegistryExport.self, RegistryDuplicates.self, RegistryMerge.self,
            RegistryCoverage.self, RegistryValidate.self, RegistrySector.self,
        ])
}
