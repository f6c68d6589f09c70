// swift-tools-version:6.2
// 6.2 for `Span` (`Array.span`), which exports read records' lists through without retaining
// them. Valley builds on Linux (Glibc, libedit, SQLite from the system); on Apple platforms
// `Array.span` would also need macOS 26.
import PackageDescription

// Settings every Valley target shares: Swift 6 language mode (strict concurrency) plus
// the upcoming features that keep existentials and imports explicit.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

/// A C library linked as a shared library in debug builds (release executables link the
/// static archives: see `staticCLibraries` below).
func sharedLibrary(_ name: String) -> [LinkerSetting] {
    [.linkedLibrary(name, .when(configuration: .debug))]
}

var package = Package(
    name: "Valley",
    products: [
        .executable(name: "valley", targets: ["valley"]),
    ],
    dependencies: [
        .package(path: "Vendor/swift-argument-parser"),
    ],
    targets: [
        // MARK: Core: the shared model, the plugin API, errors and renderers
        .target(
            name: "ValleyCore",
            dependencies: [argumentParser]
        ),

        // MARK: libedit (Debian: libedit-dev)
        .systemLibrary(
            name: "CEditLine"
        ),

        // MARK: SQLite (Debian: libsqlite3-dev), for the workspace file
        // The system library rather than GRDB.swift 7.10: the workspace needs prepared statements,
        // typed binds and one transaction, not a query builder or a migrations framework. GRDB's
        // clean release build took ~70 s on this 2-core machine (the probe; CI builds three
        // ways), this target compiles nothing; and binding a million rows through the C API
        // directly avoids a `DatabaseValue` per value. Debian's libsqlite3 is 3.40 (JSON built in).
        .systemLibrary(
            name: "CSQLite"
        ),

        // MARK: zlib (Debian: zlib1g-dev), for .xlsx workbooks
        .systemLibrary(
            name: "CZlib"
        ),

        // MARK: Table files: the one reader of CSV/TSV in any encoding and .xlsx, and the .xlsx writer
        .target(name: "ValleyTableFiles", dependencies: ["ValleyCore", "CZlib", argumentParser], linkerSettings: sharedLibrary("z")),

        // MARK: The workspace file: SQLite database or JSON interchange
        .target(name: "ValleyWorkspace", dependencies: ["ValleyCore", "CSQLite"], linkerSettings: sharedLibrary("sqlite3")),

        // MARK: External plugins: separate executables over a versioned JSON-lines protocol
        // (docs/plugin-protocol.md): the registry of added plugins, their processes, their
        // declared commands and record kinds.
        .target(name: "ValleyPluginHost", dependencies: ["ValleyCore"]),

        // MARK: Runtime plugins
        // These four are the workbench's *runtime* plugins: ordinary library targets that the
        // shell links and dispatches to. They are NOT SwiftPM package plugins (build tools),
        // even though they live in `Plugins/`; hence the explicit `path:`.
        .target(name: "PolicyTimeline", dependencies: ["ValleyCore", "ValleyTableFiles", argumentParser], path: "Plugins/PolicyTimeline"),
        .target(name: "EnterpriseRegistry", dependencies: ["ValleyCore", "ValleyTableFiles", argumentParser], path: "Plugins/EnterpriseRegistry"),
        .target(name: "LogisticsChecks", dependencies: ["ValleyCore", "ValleyTableFiles", argumentParser], path: "Plugins/LogisticsChecks"),
        .target(name: "TalentStatistics", dependencies: ["ValleyCore", "ValleyTableFiles", argumentParser], path: "Plugins/TalentStatistics"),

        // MARK: Shell: line sources, tokenizer, dispatcher, built-ins, session runner
        .target(
            name: "ValleyShell",
            dependencies: [
                "ValleyCore", "ValleyWorkspace", "ValleyPluginHost", "CEditLine", argumentParser,
                "PolicyTimeline", "EnterpriseRegistry", "LogisticsChecks", "TalentStatistics",
            ],
            linkerSettings: sharedLibrary("edit")
        ),

        // MARK: Executable: argument parsing and wiring only
        // The Swift runtime and Foundation are linked statically by the package itself, so that
        // `swift run -c release valley` (the README's command) gives the fast binary without a
        // flag to remember: a dynamic runtime doubled start-up (issue 16: 1.9× the static
        // binary's time, most of it the dynamic loader binding libswiftCore and Foundation).
        .executableTarget(
            name: "valley",
            dependencies: ["ValleyShell", "ValleyCore", argumentParser]
        ),

        // MARK: Benchmark against sqlite3 (`swift run -c release valley-bench`)
        .executableTarget(
            name: "valley-bench",
            dependencies: ["ValleyShell", "ValleyCore", "LogisticsChecks"],
            path: "Sources/valley-bench"
        ),

        // MARK: An external plugin written in Swift (Examples/plugins/land-use): a separate
        // executable that valley runs over the plugin protocol; it links nothing of Valley's.
        .executableTarget(name: "valley-land-use", path: "Examples/plugins/land-use"),

        // MARK: Fuzzing (Tests/Fuzz/run.sh builds it with libFuzzer; normally a corpus replayer)
        .executableTarget(
            name: "valley-fuzz",
            dependencies: ["ValleyShell", "ValleyCore", "ValleyWorkspace", "LogisticsChecks"],
            path: "Tests/Fuzz/valley-fuzz"
        ),

        // MARK: Tests
        // A session driven by scripted lines, capturing stdout and stderr (shared by the test targets).
        .target(name: "ValleyTestSupport", dependencies: ["ValleyShell", "ValleyCore", "ValleyPluginHost"], path: "Tests/ValleyTestSupport"),
        .testTarget(name: "ValleyCoreTests", dependencies: ["ValleyCore", "ValleyTestSupport"]),
        .testTarget(name: "ValleyShellTests", dependencies: ["ValleyShell", "ValleyCore", "ValleyTestSupport", argumentParser]),
        // Cross-plugin tests (plugin list, default data, the store with a fifth plugin), then one
        // target per plugin, asserting on its tables.
        .testTarget(
            name: "PluginTests",
            dependencies: ["ValleyCore", "ValleyShell", "ValleyTestSupport", "PolicyTimeline", "EnterpriseRegistry", "LogisticsChecks", "TalentStatistics"]
        ),
        .testTarget(name: "PolicyTimelineTests", dependencies: ["ValleyCore", "ValleyShell", "ValleyTestSupport", "PolicyTimeline"]),
        .testTarget(name: "EnterpriseRegistryTests", dependencies: ["ValleyCore", "ValleyShell", "ValleyTestSupport", "EnterpriseRegistry", "ValleyTableFiles"]),
        .testTarget(name: "LogisticsChecksTests", dependencies: ["ValleyCore", "ValleyShell", "ValleyTestSupport", "LogisticsChecks"]),
        .testTarget(name: "TalentStatisticsTests", dependencies: ["ValleyCore", "ValleyShell", "ValleyTestSupport", "TalentStatistics"]),
        // Drives the built `valley` binary (the dependency makes `swift test` build it).
        .testTarget(name: "EndToEndTests", dependencies: ["valley", "ValleyCore", "ValleyShell", "ValleyWorkspace", "ValleyTestSupport", "LogisticsChecks"]),
        // External plugins: the protocol, the registry and its pins, isolation, completion.
        // (The Swift plugin is a dependency so that `swift test` builds it: the tests run it.)
        .testTarget(name: "ExternalPluginTests", dependencies: ["ValleyPluginHost", "ValleyShell", "ValleyCore", "ValleyTestSupport", "valley-land-use"]),
        // The workspace file: both forms, schema versions, kept kinds, file modes and a property test.
        .testTarget(name: "ValleyWorkspaceTests", dependencies: ["ValleyWorkspace", "ValleyCore", "ValleyShell", "ValleyTestSupport"]),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}

// Release builds link the Swift runtime and Foundation statically, by the package itself, so
// that the README's `swift run -c release valley` gives the fast binary with no flag to
// remember (issue 16: a dynamic runtime made start-up 1.9× the static binary's, most of it the
// loader binding libswiftCore and Foundation). Compiling with `-static-stdlib` makes each module
// autolink the static libraries it needs (Foundation's ICU among them); linking with it puts
// them in. Debug builds stay dynamic: XCTest is a shared library on the dynamic runtime, and
// one process cannot hold two runtimes.
let staticRuntime: [String] = ["-static-stdlib"]
// Release code reaches the metadata of a concrete generic type (`RecordKind<Enterprise>`,
// `[Reference<Site>]`) through an accessor function rather than a mangled name. A mangled name
// is smaller, but the runtime demangles it on first use and proves each generic requirement
// (`R: Record`) by scanning all 6,800 conformance records of the binary; the accessor passes
// the witness tables it already has. Issue 16: `valley -c quit` 15.3M -> 11.2M instructions
// (-27 %), 4.9 -> 4.2 ms in one hyperfine run; the binary grows by 0.2 %.
let metadataAccessors: [String] = ["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"]
// Release executables are linked as position-dependent (`-no-pie`): an 88 MB PIE binary
// carries 82,000 relative relocations that the loader applies at every start, dirtying the
// pages of the Swift metadata they patch; without them `valley -c quit` takes a third less
// system time (issue 16: 3.5 -> 2.3 ms, 842 -> 617 page faults). The cost is that the
// executable itself loads at a fixed address (the shared libraries it uses — libedit,
// libsqlite3, zlib — are still placed at random). Valley runs Swift code, which checks bounds
// and lifetimes, on files the user chose; the trade is made for the start-up every script pays.
let positionDependent: [String] = ["-Xclang-linker", "-no-pie"]
// Release executables load no shared library but libc and libm: the C libraries (libedit with
// its libtinfo, libbsd and libmd; SQLite; zlib) and the C++ runtime the Swift runtime uses are
// linked from their static archives (Debian's -dev packages ship them; GCC's libstdc++.a comes
// with the compiler: see Vendor/static-libstdc++/libstdc++.so for how -lstdc++ finds it). Each
// shared library cost every start its mapping and, built with Debian's -z now, the binding of
// all its symbols: 1,600 for libsqlite3, 1,700 for libstdc++, 450 for libedit's four (issue 16:
// `valley -c quit` 9.5M -> 5.9M instructions, 487 -> 388 page faults, 3.5-3.9 -> 2.4 ms
// beside sqlite3's 1.3-1.4 ms in one hyperfine run). Debug builds link the shared libraries
// (`sharedLibrary` above): the tests share them with XCTest's runtime.
let staticCLibraries: [String] = ["-Xlinker", "-Bstatic"] + ["edit", "tinfo", "bsd", "md", "sqlite3", "z"].flatMap { ["-Xlinker", "-l" + $0] } + ["-Xlinker", "-Bdynamic"]
let staticCxxRuntime: [String] = ["-L", Context.packageDirectory + "/Vendor/static-libstdc++", "-Xclang-linker", "-static-libgcc", "-Xlinker", "-lstdc++"]
// A release build of the tests (`swift build -c release --build-tests`) links the C libraries
// as the executables do: the library targets name them for debug builds only.
for target in package.targets where target.type == .test {
    target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(staticCLibraries, .when(platforms: [.linux], configuration: .release))]
}
for target in package.targets where target.type != .system && target.type != .test {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(staticRuntime + metadataAccessors, .when(platforms: [.linux], configuration: .release))]
    if target.type == .executable {
        target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(staticRuntime + positionDependent + staticCLibraries + staticCxxRuntime, .when(platforms: [.linux], configuration: .release))]
    }
}
