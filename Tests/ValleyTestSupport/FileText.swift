import ValleyCore

/// The text of a file, for assertions.
///
/// Tests read files with this rather than `String(contentsOfFile:encoding:)`: in Swift 6.3's
/// FoundationEssentials that initializer leaks a 4 KB buffer for every empty file it reads,
/// which LeakSanitizer (CI runs the suite under AddressSanitizer) reports as a leak.
public func fileText(_ path: String) throws -> String {
    String(decoding: try FileIO.readBytes(path), as: UTF8.self)
}
