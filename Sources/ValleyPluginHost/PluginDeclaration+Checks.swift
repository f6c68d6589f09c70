/// Checks a declaration once, when the plugin is added: what the host relies on later (unique
/// names, known types, references to kinds that exist) is refused here with the place named.
extension PluginDeclaration {
    /// The words a namespace may not take: the shell's own commands are checked by the caller.
    static func isWord(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first), text.utf8.count <= 40 else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Refuses a declaration the host cannot honour; `knownKinds` are the kinds the host
    /// already has (core's and the built-in plugins').
    /// - Throws: `PluginError.badDeclaration` naming the first problem's place.
    public func check(knownKinds: Set<String>) throws {
        func bad(_ place: String, _ problem: String) -> PluginError { .badDeclaration(namespace: namespace, place: place, problem: problem) }
        guard Self.isWord(namespace) else { throw bad("namespace", "'\(namespace)' is not a command word (lower-case letters, digits and '-', starting with a letter)") }
        var commandNames = Set<String>()
        for (index, command) in commands.enumerated() {
            let place = "commands[\(index)]"
            guard Self.isWord(command.name) else { throw bad(place, "'\(command.name)' is not a command word") }
            guard command.name != "help" else { throw bad(place, "'help' is the host's ('\(namespace) help NAME')") }
            guard commandNames.insert(command.name).inserted else { throw bad(place, "'\(command.name)' is declared twice") }
            var argumentNames: Set<String> = ["help", "format"]
            for (position, argument) in command.arguments.enumerated() {
                guard Self.isWord(argument.name) else { throw bad("\(place).arguments[\(position)]", "'\(argument.name)' is not a name") }
                guard argument.type != .flag else { throw bad("\(place).arguments[\(position)]", "a positional argument cannot be a flag") }
                guard argument.repeating == false || position == command.arguments.count - 1 else {
                    throw bad("\(place).arguments[\(position)]", "only the last positional argument may repeat")
                }
                guard argumentNames.insert(argument.name).inserted else { throw bad("\(place).arguments[\(position)]", "'\(argument.name)' is declared twice") }
            }
            for (position, option) in command.options.enumerated() {
                guard Self.isWord(option.name) else { throw bad("\(place).options[\(position)]", "'\(option.name)' is not an option name") }
                guard argumentNames.insert(option.name).inserted else {
                    throw bad("\(place).options[\(position)]", "'--\(option.name)' is declared twice or is the host's (--help, --format)")
                }
            }
        }
        var kindNames = Set<String>()
        for (index, kind) in kinds.enumerated() {
            let place = "kinds[\(index)]"
            guard Self.isWord(kind.name) else { throw bad(place, "'\(kind.name)' is not a kind name") }
            guard !knownKinds.contains(kind.name), kindNames.insert(kind.name).inserted else {
                throw bad(place, "a kind named '\(kind.name)' already exists")
            }
            guard kind.schemaVersion >= 1 else { throw bad(place, "schema-version must be 1 or more") }
            var fieldNames: Set<String> = [kind.key]
            for (position, field) in kind.fields.enumerated() {
                let fieldPlace = "\(place).fields[\(position)]"
                guard Self.isWord(field.name) else { throw bad(fieldPlace, "'\(field.name)' is not a field name") }
                guard fieldNames.insert(field.name).inserted else { throw bad(fieldPlace, "'\(field.name)' is declared twice (or is the key)") }
                if let target = field.references {
                    guard field.type == .text || field.type == .list else { throw bad(fieldPlace, "only a text or list field can refer to records") }
                    guard knownKinds.contains(target) || kindNames.contains(target) else {
                        throw bad(fieldPlace, "it refers to '\(target)', which is neither a kind of this valley nor an earlier kind of the plugin")
                    }
                }
                if let minimum = field.minimum, let maximum = field.maximum, minimum > maximum {
                    throw bad(fieldPlace, "minimum \(minimum) is above maximum \(maximum)")
                }
            }
            for name in kind.names where !fieldNames.contains(name) || kind.fields.first(where: { $0.name == name }).map({ $0.type != .text && $0.type != .list }) == true {
                throw bad("\(place).names", "'\(name)' is not a text or list field of the kind")
            }
        }
        for (index, command) in commands.enumerated() {
            for argument in command.arguments + command.options {
                for target in [argument.complete?.records, argument.complete?.fields, argument.complete?.filter].compactMap({ $0 })
                where !knownKinds.contains(target) && !kindNames.contains(target) {
                    throw bad("commands[\(index)] \(argument.name)", "it completes from '\(target)', which is not a kind")
                }
            }
        }
    }
}
