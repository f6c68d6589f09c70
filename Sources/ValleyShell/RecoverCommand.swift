import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
@_spi(Shell) import ValleyCore

/// `recover`: replaces the model with the one a killed session had after its last completed
/// command, replayed from that session's journal (undoable, like `open`).
struct RecoverCommand: BuiltinCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Restore the model of a session that ended without quitting (crash, kill, power loss), from its journal.",
        discussion: "With several such sessions, the newest is restored; --list shows them all. The journal is deleted once restored (or with --discard).")

    @Flag(help: "List the sessions that can be recovered.") var list = false
    @Flag(help: "Delete the newest journal instead of restoring it.") var discard = false

    mutating func run(in session: Session) throws {
        guard let directory = ProcessEnvironment.stateDirectory else {
            throw ValleyError.refused("no state folder: set HOME or XDG_STATE_HOME")
        }
        let found = RecoveryJournal.abandoned(in: directory, excluding: session.journal?.path)
        if list {
            var table = Table(columns: ["journal", "started", "changes", "last command"])
            for journal in found {
                table.append([.text(journal.path), .text(RecoveryJournal.describeTime(journal.started)), .integer(journal.changes),
                              journal.lastCommand.map { .text(RecoveryJournal.clip($0)) } ?? .empty])
            }
            session.write(session.settings.format.render(table))
            return
        }
        guard let newest = found.first else { throw ValleyError.refused("there is no session to recover in \(directory)") }
        if discard {
            unlink(newest.path)
            session.note("deleted \(newest.path) (\(newest.changes) changes)")
            return
        }
        let model = try RecoveryJournal.replay(newest.path, kinds: session.kinds)
        session.model.replace(with: model)
        session.commit(session.model.takeChanges())
        unlink(newest.path)
        session.note("recovered \(newest.changes) change\(newest.changes == 1 ? "" : "s") of the session started \(RecoveryJournal.describeTime(newest.started))"
            + (newest.lastCommand.map { "; the last: \(RecoveryJournal.clip($0))" } ?? "") + " ('undo' puts back the model you had)")
    }
}
