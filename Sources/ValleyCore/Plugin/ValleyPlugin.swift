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
    /// What an argument of the command at `path` (e.g. `["registry", "show"]`) names, for
    /// completion: `option` is the long option (`--cargo`), or nil for the positional
    /// arguments. Nil: nothing the plugin knows of (the shell still completes `--source` and
    /// `--sector`, files for file arguments, and the choices of enumerated options).
    func argumentValues(for path: [String], option: String?) -> ArgumentValues?
    /// The record kinds this plugin declares (beyond core's sources, sectors, enterprises and
    /// indicators), in an order where each kind's references point to earlier kinds or core.
    var kinds: [any AnyRecordKind] { get }
    /// Adds this plugin's part of the built-in data set through `ClusterModel.insert`
    /// (references are checked once all plugins have contributed).
    func contributeDefaultData(to model: inout ClusterModel) throws
}

// MARK: - Default implementations

extension ValleyPlugin {
    /// Nothing declared unless the plugin declares it.
    public func argumentValues(for path: [String], option: String?) -> ArgumentValues? { nil }

    /// No kinds of its own unless the plugin declares some.
    public var kinds: [any AnyRecordKind] { [] }

    /// No built-in data unless the plugin contributes some.
    public func contributeDefaultData(to model: inout ClusterModel) throws {}
}

/// What a command argument names: the shell completes it from the store, so that every
/// plugin's names, fields and filters complete the same way.
public enum ArgumentValues: Sendable, Equatable {
    /// The id or a name of a record of the kind (`enterprises`).
    case records(String)
    /// A field name of the kind (`--by`, `--sort`), or a comma-separated list of them (`--fields`).
    case fields(String)
    /// A filter expression over the kind's fields (`--where`): field names, operators, and
    /// the values the records hold.
    case filter(String)
    /// A file path.
    case files
    /// One of these words.
    case words([String])
}
