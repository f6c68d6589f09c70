// swift-tools-version:6.0
// apple/swift-argument-parser 1.8.2 (commit 436bde4bb9489201ca6662f5cf94ec45fa8e244e), library
// targets only, with Valley's patches: see PATCHES.md. Licensed under Apache License v2.0 with
// Runtime Library Exception (LICENSE.txt).

import PackageDescription

// Patch 6 (PATCHES.md): release code reaches concrete generic metadata through accessor
// functions, as Valley's own targets do (see Valley's Package.swift): no demangling and no
// conformance scan on the first use of `Option<String>` and the like.
let metadataAccessors: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"], .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "swift-argument-parser",
    products: [
        .library(name: "ArgumentParser", targets: ["ArgumentParser"]),
    ],
    targets: [
        .target(name: "ArgumentParser", dependencies: ["ArgumentParserToolInfo"], swiftSettings: metadataAccessors),
        .target(name: "ArgumentParserToolInfo", swiftSettings: metadataAccessors),
    ]
)
