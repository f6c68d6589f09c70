import ArgumentParser
import ValleyCore

extension ValleyCommandLine {
    /// The launch options of a command line in the usual forms, read without argument-parser;
    /// nil for any other, which then goes through `main()`.
    ///
    /// argument-parser stays the one definition of the command line (help, errors, version,
    /// every other spelling); its first parse reflects over the options and checks their
    /// types' conformances by scanning the binary's conformance records, 12 of the 26 million
    /// instructions of `valley -c quit`. The forms read here are the ones scripts and the
    /// README use: the flags and `--workspace`, `--format`, `-c` with a separate value that
    /// does not start with `-`, each flag and option once (`-c` repeated), then a script whose
    /// arguments do not start with `-`. A test holds the result equal to argument-parser's
    /// over a generated set of command lines.
    /// - Complexity: O(arguments).
    public static func quickOptions(_ arguments: [String]) -> LaunchOptions? {
        var options = LaunchOptions()
        var given = Set<String>()
        var index = 0
        func value(of name: String) -> String? {
            guard given.insert(name).inserted || name == "-c", index + 1 < arguments.count else { return nil }
            let value = arguments[index + 1]
            guard !value.hasPrefix("-") else { return nil }
            index += 1
            return value
        }
        while index < arguments.count {
            let word = arguments[index]
            switch word {
            case "--empty", "--bail", "--echo", "--no-rc":
                guard given.insert(word).inserted else { return nil }
                switch word {
                case "--empty": options.empty = true
                case "--bail": options.settings.bail = true
                case "--echo": options.settings.echo = true
                default: options.noRC = true
                }
            case "--workspace":
                guard let path = value(of: word) else { return nil }
                options.workspace = path
            case "--format":
                guard let text = value(of: word), let format = OutputFormat(argument: text), isSessionFormat(format) else { return nil }
                options.settings.format = format
            case "-c":
                guard let command = value(of: word) else { return nil }
                options.commands.append(command)
            default:
                // `--help`, `--version`, `--x=y`, `-` (stdin), an unknown option: argument-parser.
                guard !word.hasPrefix("-") else { return nil }
                let rest = arguments[(index + 1)...]
                guard rest.allSatisfy({ !$0.hasPrefix("-") }) else { return nil }
                options.script = word
                options.scriptArguments = Array(rest)
                return options
            }
            index += 1
        }
        return options
    }
}
