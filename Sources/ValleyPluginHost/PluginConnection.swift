#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ValleyCore

/// One running plugin after its handshake: the protocol version both sides chose, and calls.
///
/// `@unchecked Sendable` for the reason `PluginProcess` gives: one thread at a time, handed
/// over under `ConnectionPool`'s lock.
final class PluginConnection: @unchecked Sendable {
    let process: PluginProcess
    /// The protocol version the plugin chose from the host's list.
    let protocolVersion: Int
    /// What the plugin declared in its `hello`.
    let declaration: PluginDeclaration
    private var nextCall = 1
    var name: String { process.name }

    /// Starts the plugin and shakes hands: the host lists the versions it speaks, the plugin
    /// answers with the one it chose and its declaration.
    /// - Throws: `PluginError` when it cannot start, answers garbage, or shares no version.
    init(path: String, name: String, timeout: Double) throws {
        process = try PluginProcess(path: path, name: name)
        do {
            try process.write(OutgoingMessage.line(OutgoingMessage.Hello(protocols: PluginProtocol.supported)), timeout: timeout)
            let hello = try Self.decode(try process.readLine(timeout: timeout), plugin: name)
            guard hello.type == "hello" else {
                if hello.type == "error", let message = hello.message { throw PluginError.failed(plugin: name, message: message) }
                throw PluginError.protocolViolation(plugin: name, detail: "it answered hello with '\(hello.type)'")
            }
            guard let version = hello.protocol, PluginProtocol.supported.contains(version) else {
                throw PluginError.protocolMismatch(plugin: name, spoken: hello.protocol.map { [$0] } ?? hello.protocols ?? [], supported: PluginProtocol.supported)
            }
            guard let declaration = hello.declaration else {
                throw PluginError.protocolViolation(plugin: name, detail: "its hello has no declaration")
            }
            protocolVersion = version
            self.declaration = declaration
            process.name = declaration.namespace
        } catch {
            process.stop(grace: 0.2)
            throw error
        }
    }

    /// Reads one message; anything that is not a JSON object with a `type` is garbage.
    static func decode(_ line: [UInt8], plugin: String) throws -> IncomingMessage {
        do {
            return try JSONDecoder().decodeChecked(IncomingMessage.self, from: Data(line))
        } catch {
            let shown = String(decoding: line.prefix(60), as: UTF8.self)
            throw PluginError.protocolViolation(plugin: plugin, detail: "it wrote '\(TerminalText.escapingControls(shown))\(line.count > 60 ? "…" : "")', not a protocol message")
        }
    }

    /// True when the pool handed this connection out again (it had served an earlier call).
    var wasIdle = false
    /// False until the current call's first message from the plugin arrives.
    private(set) var heardFromCall = false
    /// The call in progress and its grace period: what Ctrl-C cancels.
    private var current: (call: Int, grace: Double)?

    /// Writes to the plugin. During a call, Ctrl-C (pressed before or while the plugin is slow
    /// to read) cancels the call.
    func send(_ bytes: [UInt8], timeout: Double) throws {
        guard let current else { return try process.write(bytes, timeout: timeout) }
        let cancel = { try self.cancel(current.call, grace: current.grace) }
        if Interruption.isRequested { try cancel() }
        try process.write(bytes, timeout: timeout, onInterrupt: cancel)
    }

    /// Runs one command: sends the call, serves the plugin's requests with `serve` until it
    /// answers, and returns its `result`. Ctrl-C sends `cancel`, then ends the process after
    /// `grace` seconds if it has not answered.
    /// - Throws: `PluginError` for a plugin error, crash, timeout or garbage (the process is
    ///   then stopped); `ValleyError.interrupted` after Ctrl-C.
    func call(command: String, arguments: [String: JSONValue], format: String, timeout: Double, grace: Double,
              serve: (IncomingMessage) throws -> Void) throws -> IncomingMessage {
        let id = nextCall
        nextCall += 1
        current = (id, grace)
        heardFromCall = false
        defer { current = nil }
        do {
            try send(OutgoingMessage.line(OutgoingMessage.Call(call: id, command: command, arguments: arguments, format: format)), timeout: timeout)
            while true {
                let message = try Self.decode(try process.readLine(timeout: timeout, onInterrupt: { try self.cancel(id, grace: grace) }), plugin: name)
                heardFromCall = true
                switch message.type {
                case "get", "query":
                    guard message.request != nil else { throw PluginError.protocolViolation(plugin: name, detail: "a \(message.type) without a request number") }
                    try serve(message)
                case "result":
                    guard message.call == id else { throw PluginError.protocolViolation(plugin: name, detail: "a result for call \(message.call.map(String.init) ?? "none"), expected \(id)") }
                    return message
                case "error":
                    throw PluginError.failed(plugin: name, message: message.message ?? "failed without a message")
                default:
                    throw PluginError.protocolViolation(plugin: name, detail: "an unexpected '\(message.type)' during a call")
                }
            }
        } catch let error as PluginError {
            // A plugin that broke off a call is in an unknown state: it is ended, and the next
            // command starts it afresh. An error it answered with leaves it running.
            if case .failed = error {} else { process.stop(grace: 0.2) }
            throw error
        }
    }

    /// Ctrl-C during a call: `cancel`, a grace period for the plugin to finish and exit (its
    /// input still open), then the end. Nothing it sent is applied.
    private func cancel(_ id: Int, grace: Double) throws {
        try? process.write(OutgoingMessage.line(OutgoingMessage.Cancel(call: id)), timeout: 0.2)
        process.awaitExit(grace: grace)
        process.stop(grace: 0)
        throw ValleyError.interrupted
    }

    /// Asks a protocol-2 plugin for completions (nil from a protocol-1 plugin, or on any problem).
    func complete(command: String, argument: String, partial: String, timeout: Double) -> [String]? {
        guard protocolVersion >= 2 else { return nil }
        let id = nextCall
        nextCall += 1
        do {
            try send(OutgoingMessage.line(OutgoingMessage.Complete(call: id, command: command, argument: argument, partial: partial)), timeout: timeout)
            let answer = try Self.decode(try process.readLine(timeout: timeout), plugin: name)
            guard answer.type == "completions", answer.call == id else {
                process.stop(grace: 0.2)
                return nil
            }
            return answer.values ?? []
        } catch {
            process.stop(grace: 0.2)
            return nil
        }
    }
}
