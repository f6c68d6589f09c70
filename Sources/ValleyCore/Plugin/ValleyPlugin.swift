import ArgumentParser

/// A runtime plugin: a namespace of commands over the shared model, its completions, and
/// the part of the built-in data set it contributes.
///
/// Plugins never import each other; they meet in `ClusterModel` through record kinds.
public protocol ValleyPlugin: Sendable {
    /// The plugin's namespace, e.g. `registry`.
    var namespace: String { get }
    /// One line saying what the plugin answers.
    var summary: String { get }
    /// The top-level commands the plugin adds (usually one group named like the namespace,
    /// whose subcommands are `ValleyCommand`s).
    var commands: [any ParsableCommand.Type] { get }
    /// Entity names to offer when completing an argument of the command at `path`
    /// (e.g. `["registry", "show"]`); Chinese and English names alike.
    func completions(for path: [String], in model: ClusterModel) -> [String]
    /// The record kinds this plugin declares (beyond core's sources, sectors, enterprises and
    /// indicators), in an order where each kind's references point to earlier kinds or core.
    var kinds: [any AnyRecordKind] { get }
    /// Adds this plugin's part of the built-in data set through `ClusterModel.insert`
    /// (references are checked once all plugins have contributed).
    func contributeDefaultData(to model: inout ClusterModel) throws
}

// MARK: - Default implementations

extension ValleyPlugin {
    /// No entity completions unless the plugin offers some.
    public func completions(for path: [String], in model: ClusterModel) -> [String] { [] }

    /// No kinds of its own unless the plugin declares some.
    public var kinds: [any AnyRecordKind] { [] }

    /// No built-in data unless the plugin contributes some.
    public func contributeDefaultData(to model: inout ClusterModel) throws {}
}
