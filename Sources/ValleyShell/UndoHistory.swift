import ValleyCore

/// Undo and redo levels: each level is the change set of one command (O(change) memory,
/// never a copy of the model), bounded by a number of levels and by estimated memory.
struct UndoHistory {
    /// A level, its estimated size (computed once, when it is pushed), and the command that
    /// made it (what `undo` and `redo` say they undid or redid).
    private typealias Level = (changes: ChangeSet, bytes: Int, command: String)

    private var undoLevels: [Level] = []
    private var redoLevels: [Level] = []
    private var undoBytes = 0
    /// The most levels kept.
    var levelLimit = 1_000
    /// The most memory the undo levels may keep (estimated); `set undo-memory` changes it.
    var memoryLimit = 256 << 20

    /// Estimated memory kept by undo and redo levels.
    var bytes: Int { undoBytes + redoLevels.reduce(0) { $0 + $1.bytes } }
    /// How many levels `undo` can go back.
    var undoCount: Int { undoLevels.count }

    /// Keeps a command's changes as the newest level and forgets the redo levels; returns how
    /// many of the oldest levels were dropped to stay within the limits.
    /// - Complexity: O(changes) to size the level, plus O(levels) when old ones are dropped.
    mutating func push(_ changes: ChangeSet, command: String) -> Int {
        redoLevels.removeAll()
        let bytes = changes.estimatedBytes
        undoLevels.append((changes, bytes, command))
        undoBytes += bytes
        return trim()
    }

    /// Drops the oldest levels until both limits hold (the newest level is always kept, so the
    /// last command can be undone however large it was).
    mutating func trim() -> Int {
        var dropped = 0
        while undoLevels.count - dropped > 1, undoLevels.count - dropped > levelLimit || undoBytes > memoryLimit {
            undoBytes -= undoLevels[dropped].bytes
            dropped += 1
        }
        if dropped > 0 { undoLevels.removeFirst(dropped) }
        return dropped
    }

    /// The newest undo level, removed.
    mutating func popUndo() -> (changes: ChangeSet, command: String)? {
        guard let level = undoLevels.popLast() else { return nil }
        undoBytes -= level.bytes
        return (level.changes, level.command)
    }

    /// Keeps what redoes an undone level.
    mutating func pushRedo(_ changes: ChangeSet, command: String) {
        redoLevels.append((changes, changes.estimatedBytes, command))
    }

    /// The newest redo level, removed.
    mutating func popRedo() -> (changes: ChangeSet, command: String)? { redoLevels.popLast().map { ($0.changes, $0.command) } }

    /// Keeps what undoes a redone level (without forgetting the other redo levels).
    mutating func pushUndoKeepingRedo(_ changes: ChangeSet, command: String) -> Int {
        let bytes = changes.estimatedBytes
        undoLevels.append((changes, bytes, command))
        undoBytes += bytes
        return trim()
    }
}
