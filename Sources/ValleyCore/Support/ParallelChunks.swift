#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import Synchronization

/// Work over `0..<count` split into one contiguous range per processor, each on its own
/// thread, the results in range order: what makes a million-row export use both cores.
package enum ParallelChunks {
    /// `body` on each range of `0..<count` (one range when `count` is below
    /// `minimumPerChunk` twice over); the results in order, or the first error thrown.
    /// - Complexity: the work of `body`, spread over the processors.
    package static func map<T: Sendable>(count: Int, minimumPerChunk: Int = 20_000,
                                         _ body: @Sendable (Range<Int>) throws -> T) throws -> [T] {
        let processors = max(1, ProcessInfo.processInfo.activeProcessorCount)
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
