/// One change to the model that knows how to undo itself.
public protocol ModelChange: Sendable {
    /// Undoes the change in `model`; returns the change that redoes it.
    func revert(in model: inout ClusterModel) -> any ModelChange
    /// Roughly how much memory the change keeps (for the undo memory limit).
    var estimatedBytes: Int { get }
}

/// A change to one table: appended slots, a replaced record, an emptied or refilled slot.
/// Undo and redo swap records between the table and the change, so neither copies a table.
struct TableChange<R: Record>: ModelChange {
    enum Operation: Sendable {
        /// Records appended in slots `start..<start+count` (they live in the table).
        case appended(start: Int, count: Int)
        /// The inverse: records taken off the end, to append again.
        case unappended(start: Int, [R?])
        /// The record that was in `slot` before it was replaced.
        case replaced(slot: Int, R)
        /// A record removed from `slot` (the slot is empty).
        case vacated(slot: Int, R)
        /// The inverse: a record put back in `slot`.
        case restored(slot: Int)
    }

    let operation: Operation

    init(_ operation: Operation) { self.operation = operation }

    /// - Complexity: O(1), except `appended`/`unappended`: O(records appended).
    func revert(in model: inout ClusterModel) -> any ModelChange {
        model.withTable(R.self) { table in
            switch operation {
            case let .appended(start, count):
                precondition(table.rows.count == start + count, "undo out of order in \(R.kind.name)")
                return TableChange(.unappended(start: start, table.removeLast(count)))
            case let .unappended(start, rows):
                precondition(table.rows.count == start, "redo out of order in \(R.kind.name)")
                table.append(slots: rows)
                return TableChange(.appended(start: start, count: rows.count))
            case let .replaced(slot, old):
                return TableChange(.replaced(slot: slot, table.replace(at: slot, with: old)))
            case let .vacated(slot, old):
                table.restore(old, at: slot)
                return TableChange(.restored(slot: slot))
            case let .restored(slot):
                return TableChange(.vacated(slot: slot, table.vacate(slot)))
            }
        }
    }

    /// A record's inline size plus an allowance for its strings and lists.
    static var recordBytes: Int { MemoryLayout<R>.stride + 96 }

    var estimatedBytes: Int {
        switch operation {
        case .appended, .restored: return 32
        case let .unappended(_, rows): return 32 + rows.count * Self.recordBytes
        case .replaced, .vacated: return 32 + Self.recordBytes
        }
    }
}

/// The whole model replaced (by `open`): undo puts the previous model back.
struct ModelReplacement: ModelChange {
    let previous: ClusterModel

    func revert(in model: inout ClusterModel) -> any ModelChange {
        let current = model
        model = previous
        return ModelReplacement(previous: current)
    }

    var estimatedBytes: Int {
        previous.allTables.reduce(0) { $0 + $1.count * 256 }
    }
}

/// The changes one command made: one undo level.
public struct ChangeSet: Sendable {
    var changes: [any ModelChange]

    /// True when the command changed nothing.
    public var isEmpty: Bool { changes.isEmpty }

    /// Roughly how much memory the level keeps.
    /// - Complexity: O(changes)
    public var estimatedBytes: Int { changes.reduce(0) { $0 + $1.estimatedBytes } }
}

// The journal belongs to whoever runs commands (the shell): these are SPI, so that a plugin
// cannot take, drop or replay changes — it changes the model only through insert, update
// and remove, and the shell decides what becomes an undo level.
extension ClusterModel {
    /// The changes made since the last call, which are now the caller's (an undo level).
    /// - Complexity: O(1)
    @_spi(Shell) public mutating func takeChanges() -> ChangeSet {
        defer { journal = [] }
        return ChangeSet(changes: journal)
    }

    /// Undoes every change since the last `takeChanges()` (a failed command).
    /// - Complexity: O(changes)
    @_spi(Shell) public mutating func rollBack() {
        let changes = takeChanges()
        _ = revert(changes)
    }

    /// Undoes a change set; returns the change set that redoes it.
    /// - Complexity: O(changes)
    @_spi(Shell) public mutating func revert(_ set: ChangeSet) -> ChangeSet {
        var inverse: [any ModelChange] = []
        inverse.reserveCapacity(set.changes.count)
        for change in set.changes.reversed() { inverse.append(change.revert(in: &self)) }
        return ChangeSet(changes: inverse)
    }

    /// Replaces the whole model with `other` as one change (undoable like any other).
    /// - Complexity: O(1)
    @_spi(Shell) public mutating func replace(with other: ClusterModel) {
        let previous = self
        var next = other
        next.journal = journal + [ModelReplacement(previous: previous.withoutJournal)]
        self = next
    }

    var withoutJournal: ClusterModel {
        var copy = self
        copy.journal = []
        return copy
    }
}
