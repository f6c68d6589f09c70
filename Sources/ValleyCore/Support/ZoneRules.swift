#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// An IANA time zone's offsets from UTC, read from the system's compiled time zone database
/// (TZif files, RFC 8536; Debian's `tzdata` puts them under `/usr/share/zoneinfo`, `$TZDIR`
/// overrides it).
///
/// Valley reads the database itself rather than through Foundation's `TimeZone`: that one is
/// ICU's, and linking ICU for it made the binary 30 MB larger and every start pay ICU's
/// initialisation when the built-in sites were validated (issue 16).
public struct ZoneRules: Sendable, Equatable {
    /// The identifier it was read for, e.g. `Asia/Hong_Kong`.
    public let identifier: String
    /// Instants (seconds since 1970 UTC) at which the offset changes, ascending.
    let transitions: [Int64]
    /// The offset (seconds east of UTC) in effect from `transitions[i]` on.
    let offsets: [Int32]
    /// The offset before the first transition.
    let initialOffset: Int32
    /// The rule after the last transition (the file's POSIX TZ footer); nil: the last offset stays.
    let rule: PosixRule?

    /// The offset from UTC, in seconds east, in effect at `instant` (seconds since 1970 UTC).
    /// - Complexity: O(log transitions).
    public func offset(at instant: Int) -> Int {
        let time = Int64(instant)
        // After the last transition, or at every time when the file lists none (RFC 8536 3.2),
        // the footer's rule gives the offset.
        if let rule, time >= transitions.last ?? .min { return rule.offset(at: instant) }
        // The last transition at or before `time`.
        var low = 0, high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= time { low = middle + 1 } else { high = middle }
        }
        return Int(low == 0 ? initialOffset : offsets[low - 1])
    }
}

extension ZoneRules {
    /// Why a zone could not be read.
    public enum Failure: Error, Equatable, Sendable {
        /// Not a well-formed IANA identifier, or no such file in the database.
        case unknown
        /// The file exists but is not TZif (or is damaged).
        case malformed(String)
        /// There is no database at all.
        case noDatabase(directory: String)
    }

    /// The database's directory: `$TZDIR`, else `/usr/share/zoneinfo`.
    public static var databaseDirectory: String { ProcessEnvironment.value("TZDIR") ?? "/usr/share/zoneinfo" }

    private static let cache = Mutex<[String: ZoneRules]>([:])

    /// The zone with this IANA identifier from the database in `directory`, read once per process.
    /// - Complexity: O(1) after the first read of `identifier`; the first reads a file of a few KB.
    public static func named(_ identifier: String, in directory: String = databaseDirectory) -> Result<ZoneRules, Failure> {
        let key = directory + "\u{0}" + identifier
        if let cached = cache.withLock({ $0[key] }) { return .success(cached) }
        if let offset = fixedOffset(identifier) {
            return .success(ZoneRules(identifier: identifier, transitions: [], offsets: [], initialOffset: Int32(offset), rule: nil))
        }
        guard isWellFormed(identifier) else { return .failure(.unknown) }
        let path = directory + "/" + identifier
        guard case .file = FileIO.entry(at: path) else {
            if case .missing = FileIO.entry(at: directory) { return .failure(.noDatabase(directory: directory)) }
            return .failure(.unknown)
        }
        guard let bytes = try? FileIO.readBytes(path) else { return .failure(.unknown) }
        do {
            let zone = try ZoneRules(identifier: identifier, tzif: bytes)
            cache.withLock { $0[key] = zone }
            return .success(zone)
        } catch {
            return .failure(error)
        }
    }

    /// The offset (seconds east) of `GMT+8`, `UTC-05:30`, `GMT+0800`: the fixed offsets that
    /// Foundation's `TimeZone` accepted besides the database's names (note the sign: `GMT+8`
    /// is eight hours east, where the database's `Etc/GMT+8` is eight hours west). Nil for
    /// any other text; plain `GMT` and `UTC` are read from the database.
    static func fixedOffset(_ identifier: String) -> Int? {
        let bytes = Array(identifier.utf8)
        guard bytes.count >= 5, bytes.count <= 9, bytes[0..<3].elementsEqual("GMT".utf8) || bytes[0..<3].elementsEqual("UTC".utf8) else { return nil }
        let sign: Int
        switch bytes[3] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        var digits = Array(bytes[4...])
        if digits.count == 5, digits[2] == UInt8(ascii: ":") { digits.remove(at: 2) }  // HH:MM
        guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        let values = digits.map { Int($0 - UInt8(ascii: "0")) }
        let hours: Int, minutes: Int
        switch values.count {
        case 1: (hours, minutes) = (values[0], 0)
        case 2: (hours, minutes) = (values[0] * 10 + values[1], 0)
        case 4: (hours, minutes) = (values[0] * 10 + values[1], values[2] * 10 + values[3])
        default: return nil
        }
        guard hours <= 18, minutes <= 59 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    /// True for `Area/Location` segments of letters, digits, `_`, `-` and `+` (`America/Port-au-Prince`,
    /// `Etc/GMT+8`): no empty, `.` or `..` segment, so no path outside the database.
    public static func isWellFormed(_ identifier: String) -> Bool {
        guard !identifier.isEmpty, identifier.utf8.count <= 255 else { return false }
        for segment in identifier.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard let first = segment.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "+") else { return false }
            for byte in segment {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                     UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"):
                    continue
                default:
                    return false
                }
            }
        }
        return true
    }
}
