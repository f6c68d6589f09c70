/// A value the store keeps: a struct with a string key (`id`) whose kind declares its fields,
/// its references to other kinds and its validation.
///
/// Core declares the kinds more than one plugin reads (sources, sectors, enterprises,
/// indicators); each plugin declares its own and lists them in `ValleyPlugin.kinds`.
public protocol Record: Codable, Hashable, Sendable, Identifiable where ID == String {
    /// The kind's declaration (declare it as a `static let`: it is read on every edit).
    static var kind: RecordKind<Self> { get }
}

extension Record {
    /// The kind with its record type erased, for code that loops over every kind.
    public static var erasedKind: any AnyRecordKind { kind }
}
