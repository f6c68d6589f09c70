import ArgumentParser
import ValleyShell
#if canImport(Glibc)
import Glibc
#endif

// The usual command lines (flags, -c, --workspace, a script and its arguments) are read
// without argument-parser's reflection, a third of start-up; anything else, and every error,
// help and version, goes through it (`ValleyCommandLine.quickOptions`).
let arguments = Array(CommandLine.arguments.dropFirst())
if let options = ValleyCommandLine.quickOptions(arguments) {
    launch(options)
}
ValleyCommandLine.main()
