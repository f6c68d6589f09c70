import ValleyCore

/// What an external plugin says it is, in its `hello` answer: its namespace, commands and
/// record kinds. The host caches it on `plugin add` (see docs/plugin-protocol.md), so a
/// session knows every plugin's commands, help and kinds without starting a process.
public struct PluginDeclaration: Codable, Hashable, Sendable {
    /// The command word, e.g. `trials`: lower-case letters, digits and `-`.
    public var namespace: String
    /// One line saying what the plugin answers.
    public var summary: String
    /// The plugin's own version (shown by `plugin info`; never compared by the host).
    public var version: String?
    /// The commands under the namespace (`trials add`, `trials list`).
    public var commands: [CommandDeclaration]
    /// The record kinds the plugin owns, each referring only to earlier kinds or to kinds the
    /// host already has.
    public var kinds: [KindDeclaration]

    /// Declares a plugin.
    public init(namespace: String, summary: String, version: String? = nil, commands: [CommandDeclaration], kinds: [KindDeclaration] = []) {
        self.namespace = namespace
        self.summary = summary
        self.version = version
        self.commands = commands
        self.kinds = kinds
    }

    enum CodingKeys: String, CodingKey { case namespace, summary, version, commands, kinds }

    /// Reads a declaration; `kinds` may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        namespace = try container.decode(String.self, forKey: .namespace)
        summary = try container.decodeIfPresent(String.self, forKey: .summary) ?? ""
        version = try container.decodeIfPresent(String.self, forKey: .version)
        commands = try container.decode([CommandDeclaration].self, forKey: .commands)
        kinds = try container.decodeIfPresent([KindDeclaration].self, forKey: .kinds) ?? []
    }
}

/// One command of a plugin: its arguments, options and flags, which the host parses, checks
/// and documents exactly as it does a built-in's.
public struct CommandDeclaration: Codable, Hashable, Sendable {
    /// The word after the namespace, e.g. `add`.
    public var name: String
    /// One line of help (argument-parser's abstract).
    public var summary: String
    /// More help, shown by `help NAMESPACE NAME`.
    public var discussion: String?
    /// Positional arguments, in order.
    public var arguments: [ArgumentDeclaration]
    /// Options and flags (`--title T`, `--dry-run`).
    public var options: [ArgumentDeclaration]
    /// Whole command lines that show how it is used.
    public var examples: [String]

    /// Declares a command.
    public init(name: String, summary: String, discussion: String? = nil, arguments: [ArgumentDeclaration] = [],
                options: [ArgumentDeclaration] = [], examples: [String] = []) {
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.arguments = arguments
        self.options = options
        self.examples = examples
    }

    enum CodingKeys: String, CodingKey { case name, summary, discussion, arguments, options, examples }

    /// Reads a command; everything but `name` may be left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        summary = try container.decodeIfPresent(String.self, forKey: .summary) ?? ""
        discussion = try container.decodeIfPresent(String.self, forKey: .discussion)
        arguments = try container.decodeIfPresent([ArgumentDeclaration].self, forKey: .arguments) ?? []
        options = try container.decodeIfPresent([ArgumentDeclaration].self, forKey: .options) ?? []
        examples = try container.decodeIfPresent([String].self, forKey: .examples) ?? []
    }
}

/// A positional argument, an option that takes a value, or a flag (`type: flag`).
public struct ArgumentDeclaration: Codable, Hashable, Sendable {
    /// The value types the host checks before the plugin sees them.
    public enum ValueType: String, Codable, Sendable, CaseIterable {
        /// Any text.
        case text
        /// A whole number (64-bit).
        case integer
        /// A decimal number.
        case number
        /// A date: `2024`, `2024-05` or `2024-05-17`.
        case date
        /// A flag: present or not (options only).
        case flag
    }

    /// The name: `title` is typed `--title`; a positional one is shown `<title>`.
    public var name: String
    /// Its type.
    public var type: ValueType
    /// One line of help.
    public var help: String
    /// True when the command cannot run without it (positional arguments are required unless
    /// they have a default or repeat).
    public var required: Bool
    /// True when it may be given several times (an option) or take every remaining word (the
    /// last positional argument); the plugin receives a list.
    public var repeating: Bool
    /// The value when it is not given.
    public var defaultValue: JSONValue?
    /// The only values allowed (completed with Tab).
    public var values: [String]?
    /// What Tab completes it from.
    public var complete: Completion?

    /// What the host completes an argument from.
    public struct Completion: Codable, Hashable, Sendable {
        /// The id or a name of a record of this kind.
        public var records: String?
        /// A field name of this kind (`--by`), or a comma-separated list (`--fields`).
        public var fields: String?
        /// A filter over this kind's fields (`--where`).
        public var filter: String?
        /// A file path.
        public var files: Bool?
        /// Asked of the plugin at each Tab (protocol 2 and later).
        public var plugin: Bool?

        /// A completion source.
        public init(records: String? = nil, fields: String? = nil, filter: String? = nil, files: Bool? = nil, plugin: Bool? = nil) {
            self.records = records
            self.fields = fields
            self.filter = filter
            self.files = files
            self.plugin = plugin
        }
    }

    /// Declares an argument.
    public init(name: String, type: ValueType = .text, help: String = "", required: Bool = false, repeating: Bool = false,
                defaultValue: JSONValue? = nil, values: [String]? = nil, complete: Completion? = nil) {
        self.name = name
        self.type = type
        self.help = help
        self.required = required
        self.repeating = repeating
        self.defaultValue = defaultValue
        self.values = values
        self.complete = complete
    }

    enum CodingKeys: String, CodingKey {
        case name, type, help, required, repeating, values, complete
        case defaultValue = "default"
    }

    /// Reads an argument; everything but `name` may be left out (`type` defaults to `text`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decodeIfPresent(ValueType.self, forKey: .type) ?? .text
        help = try container.decodeIfPresent(String.self, forKey: .help) ?? ""
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? false
        repeating = try container.decodeIfPresent(Bool.self, forKey: .repeating) ?? false
        defaultValue = try container.decodeIfPresent(JSONValue.self, forKey: .defaultValue)
        values = try container.decodeIfPresent([String].self, forKey: .values)
        complete = try container.decodeIfPresent(Completion.self, forKey: .complete)
    }

    /// Writes the argument, leaving out what is at its default.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        if !help.isEmpty { try container.encode(help, forKey: .help) }
        if required { try container.encode(true, forKey: .required) }
        if repeating { try container.encode(true, forKey: .repeating) }
        try container.encodeIfPresent(defaultValue, forKey: .defaultValue)
        try container.encodeIfPresent(values, forKey: .values)
        try container.encodeIfPresent(complete, forKey: .complete)
    }
}

/// A record kind a plugin owns: the store keeps its records, validates them and saves them
/// in the workspace, also when the plugin is absent.
public struct KindDeclaration: Codable, Hashable, Sendable {
    /// The table name, plural: `trials`.
    public var name: String
    /// One record in messages: `trial`.
    public var label: String
    /// The key field's name (default `id`).
    public var key: String
    /// The fields besides the key, in order.
    public var fields: [FieldDeclaration]
    /// Fields whose values name the record (resolved like ids, offered by Tab).
    public var names: [String]
    /// The version of the record's stored form.
    public var schemaVersion: Int

    /// Declares a kind.
    public init(name: String, label: String, key: String = "id", fields: [FieldDeclaration], names: [String] = [], schemaVersion: Int = 1) {
        self.name = name
        self.label = label
        self.key = key
        self.fields = fields
        self.names = names
        self.schemaVersion = schemaVersion
    }

    enum CodingKeys: String, CodingKey { case name, label, key, fields, names, schemaVersion = "schema-version" }

    /// Reads a kind; `label` defaults to the name, `key` to `id`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        label = try container.decodeIfPresent(String.self, forKey: .label) ?? name
        key = try container.decodeIfPresent(String.self, forKey: .key) ?? "id"
        fields = try container.decode([FieldDeclaration].self, forKey: .fields)
        names = try container.decodeIfPresent([String].self, forKey: .names) ?? []
        schemaVersion = try container.decodeIfPresent(Int.self, forKey: .schemaVersion) ?? 1
    }
}

/// A field of a declared kind: its type, whether it must be there, its range, and the kind
/// it refers to.
public struct FieldDeclaration: Codable, Hashable, Sendable {
    /// The value types a field can hold.
    public enum FieldType: String, Codable, Sendable, CaseIterable {
        /// Text.
        case text
        /// A whole number, at most 2^53 in magnitude (exact in every tool that reads JSON).
        case integer
        /// A finite decimal number.
        case number
        /// A date: `2024`, `2024-05` or `2024-05-17`.
        case date
        /// A list of texts.
        case list
        /// true or false.
        case boolean
    }

    /// The name, as `--where`, `--fields`, the stored form and change sets spell it.
    public var name: String
    /// Its type.
    public var type: FieldType
    /// One line of help.
    public var help: String
    /// True when every record must have it.
    public var required: Bool
    /// The smallest value allowed (integer and number fields).
    public var minimum: Double?
    /// The largest value allowed (integer and number fields).
    public var maximum: Double?
    /// The only values allowed (text fields).
    public var values: [String]?
    /// The kind whose keys this field holds (a text or list field): checked on the way in,
    /// found by `remove`, rewritten by `merge`.
    public var references: String?

    /// Declares a field.
    public init(name: String, type: FieldType, help: String = "", required: Bool = false, minimum: Double? = nil,
                maximum: Double? = nil, values: [String]? = nil, references: String? = nil) {
        self.name = name
        self.type = type
        self.help = help
        self.required = required
        self.minimum = minimum
        self.maximum = maximum
        self.values = values
        self.references = references
    }

    enum CodingKeys: String, CodingKey { case name, type, help, required, minimum, maximum, values, references }

    /// Reads a field; `type` defaults to `text`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decodeIfPresent(FieldType.self, forKey: .type) ?? .text
        help = try container.decodeIfPresent(String.self, forKey: .help) ?? ""
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? false
        minimum = try container.decodeIfPresent(Double.self, forKey: .minimum)
        maximum = try container.decodeIfPresent(Double.self, forKey: .maximum)
        values = try container.decodeIfPresent([String].self, forKey: .values)
        references = try container.decodeIfPresent(String.self, forKey: .references)
    }

    /// Writes the field, leaving out what is at its default.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        if !help.isEmpty { try container.encode(help, forKey: .help) }
        if required { try container.encode(true, forKey: .required) }
        try container.encodeIfPresent(minimum, forKey: .minimum)
        try container.encodeIfPresent(maximum, forKey: .maximum)
        try container.encodeIfPresent(values, forKey: .values)
        try container.encodeIfPresent(references, forKey: .references)
    }
}
