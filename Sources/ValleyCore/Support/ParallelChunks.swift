#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import Synchronization

/// Work over `0..<count` split into one contiguous range per processor, each on its own
/// thread, the results in range order: what makes a million-row export use both cores.
@usableFromInline package enum ParallelChunks {
    /// The processors this process may use, read once: Foundation reads two cgroup files for
    /// it each time it is asked (eight system calls; a script of 100,000 `registry count` on
    /// the built-in data took 2.65 s instead of 0.79 s).
    package static let processors = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// `body` on each range of `0..<count` (one range when `count` is below
    /// `minimumPerChunk` twice over); the results in order, or the first error thrown.
    /// - Complexity: the work of `body`, spread over the processors.
    package static func map<T: Sendable>(count: Int, minimumPerChunk: Int = 20_000,
                                         _ body: @Sendable (Range<Int>) throws -> T) throws -> [T] {
        let processors = Self.processors
        let chunks = max(1, min(processors, count / max(1, minimumPerChunk)))
        if chunks == 1 { return [try body(0..<count)] }
        let results = Mutex<[Result<T, any Error>?]>(Array(repeating: nil, count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (count * chunk / chunks)..<(count * (chunk + 1) / chunks)
            let result = Result { try body(range) }
            results.withLock { $0[chunk] = result }
        }
        return try results.withLock { $0 }.map { try $0!.get() }
    }
}

extension ParallelChunks {
    /// `produce` on each of `pieces` ranges of `0..<count` (fewer when a piece would hold less
    /// than `minimumPerPiece`), spread over the processors; `consume` on each result on the
    /// calling thread, in order, as soon as it and those before it are made. A writer writes
    /// piece 1 while pieces 2 and 3 are made, and at most two pieces per processor wait in memory.
    ///
    /// `consume` returns whether to go on: after it returns false, or after `produce` or
    /// `consume` throws, no further piece is started or consumed; an error is rethrown once
    /// every piece started has ended (nothing runs after this returns).
    /// - Complexity: the work of `produce` spread over the processors, plus `consume`'s.
    @usableFromInline package static func stream<T: Sendable>(count: Int, pieces: Int, minimumPerPiece: Int = 10_000,
                                            produce: @escaping @Sendable (Range<Int>) throws -> T,
                                            consume: (T) throws -> Bool) throws {
        let pieceCount = max(1, min(pieces, count / max(1, minimumPerPiece)))
        let processors = Self.processors
        let range: @Sendable (Int) -> Range<Int> = { piece in (count * piece / pieceCount)..<(count * (piece + 1) / pieceCount) }
        if pieceCount == 1 || processors == 1 {
            for piece in 0..<pieceCount where try !consume(try produce(range(piece))) { return }
            return
        }
        let shared = StreamPieces<T>(pieces: pieceCount, window: 2 * processors)
        let workers = DispatchGroup()
        for _ in 0..<processors {
            DispatchQueue.global(qos: .userInitiated).async(group: workers) {
                while true {
                    shared.window.wait()
                    let claimed: Int? = shared.state.withLock { state in
                        guard !state.stopped, state.next < pieceCount else { return nil }
                        defer { state.next += 1 }
                        return state.next
                    }
                    guard let piece = claimed else {
                        shared.window.signal()
                        return
                    }
                    let result = Result { try produce(range(piece)) }
                    shared.state.withLock { state in
                        state.results[piece] = result
                        if case .failure = result { state.stopped = true }
                    }
                    shared.made[piece].signal()
                }
            }
        }
        defer { workers.wait() }
        func stop() {
            shared.state.withLock { $0.stopped = true }
            for _ in 0..<processors { shared.window.signal() }
        }
        do {
            for piece in 0..<pieceCount {
                shared.made[piece].wait()
                let result = shared.state.withLock { state in
                    defer { state.results[piece] = nil }
                    return state.results[piece]!
                }
                shared.window.signal()
                if try !consume(try result.get()) {
                    stop()
                    return
                }
            }
        } catch {
            stop()
            throw error
        }
    }
}

/// What the workers of `ParallelChunks.stream` share with its caller.
private final class StreamPieces<T: Sendable>: Sendable {
    struct State {
        var next = 0
        var stopped = false
        var results: [Result<T, any Error>?]
    }
    let state: Mutex<State>
    /// Piece `i` is made (its result is in `results[i]`).
    let made: [DispatchSemaphore]
    /// Pieces that may be started but not yet consumed.
    let window: DispatchSemaphore
    init(pieces: Int, window: Int) {
        state = Mutex(State(results: Array(repeating: nil, count: pieces)))
        made = (0..<pieces).map { _ in DispatchSemaphore(value: 0) }
        // Made at 0 and signalled up: libdispatch traps when a semaphore is freed below the
        // value it was made with, which an error leaves (pieces started, never consumed).
        self.window = DispatchSemaphore(value: 0)
        for _ in 0..<window { self.window.signal() }
    }
}

extension ParallelChunks {
    /// Runs `produce` on another thread and `consume` on the calling thread on each batch it
    /// sends, in order, with at most `window` batches waiting: reading a file and making its
    /// rows on one core while the rows are checked and inserted on another.
    ///
    /// `send` returns false once the consumer has stopped (it threw), at once and every time
    /// after: the producer should then return. An error `produce` throws reaches the caller after the batches sent before
    /// it were consumed; an error `consume` throws ends the run. Either way the producer has
    /// ended when this returns.
    /// - Complexity: the work of `produce` beside that of `consume`.
    package static func pipeline<T: Sendable>(window: Int = 4, produce: @escaping @Sendable (_ send: (T) -> Bool) throws -> Void,
                                              consume: (T) throws -> Void) throws {
        let handoff = Handoff<T>(window: window)
        let done = DispatchGroup()
        DispatchQueue.global(qos: .userInitiated).async(group: done) {
            handoff.finish(Result { try produce { handoff.send($0) } })
        }
        defer {
            handoff.cancel()
            done.wait()
        }
        while let batch = try handoff.receive() { try consume(batch) }
    }
}

/// The batches `ParallelChunks.pipeline` hands from its producer to its consumer.
private final class Handoff<T: Sendable>: Sendable {
    private struct State {
        /// At most `window` batches (the room semaphore), so taking the first is O(window).
        var batches: [T] = []
        var end: Result<Void, any Error>?
        var cancelled = false
    }
    private let state = Mutex(State())
    /// Signalled once per batch sent and once at the end.
    private let ready = DispatchSemaphore(value: 0)
    /// Room for a batch. Both semaphores start at 0 and are signalled up to their counts:
    /// libdispatch refuses to free a semaphore whose count is below the one it was made with.
    private let room = DispatchSemaphore(value: 0)

    init(window: Int) {
        for _ in 0..<max(1, window) { room.signal() }
    }

    /// Queues a batch once there is room; false when the consumer has stopped (at once, and
    /// every time after: a producer that sends again is not left waiting for room).
    func send(_ batch: T) -> Bool {
        if state.withLock({ $0.cancelled }) { return false }
        room.wait()
        let accepted = state.withLock { state in
            guard !state.cancelled else { return false }
            state.batches.append(batch)
            return true
        }
        // A refused batch gives its room back, for another send that may be waiting.
        if accepted { ready.signal() } else { room.signal() }
        return accepted
    }

    /// Records how the producer ended.
    func finish(_ end: Result<Void, any Error>) {
        state.withLock { $0.end = end }
        ready.signal()
    }

    /// The next batch, nil at the end, or the producer's error.
    func receive() throws -> T? {
        ready.wait()
        let next: Result<T?, any Error> = state.withLock { state in
            // Taken out, not read past: a consumed batch must not stay referenced here.
            if !state.batches.isEmpty { return .success(state.batches.removeFirst()) }
            switch state.end {
            case .failure(let error)?: return .failure(error)
            default: return .success(nil)
            }
        }
        if case .success(.some) = next { room.signal() }
        return try next.get()
    }

    /// Stops the producer at its next `send` (and wakes it should it wait for room).
    func cancel() {
        state.withLock { $0.cancelled = true }
        room.signal()
    }
}
