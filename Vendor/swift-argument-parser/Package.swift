// swift-tools-version:6.0
// apple/swift-argument-parser 1.8.2 (commit 436bde4bb9489201ca6662f5cf94ec45fa8e244e), library
// targets only, with Valley's patches: see PATCHES.md. Licensed under Apache License v2.0 with
// Runtime Library Exception (LICENSE.txt).

import PackageDescription

let package = Package(
    name: "swift-argument-parser",
    products: [
        .library(name: "ArgumentParser", targets: ["ArgumentParser"]),
    ],
    targets: [
        .target(name: "ArgumentParser", dependencies: ["ArgumentParserToolInfo"]),
        .target(name: "ArgumentParserToolInfo"),
    ]
)
