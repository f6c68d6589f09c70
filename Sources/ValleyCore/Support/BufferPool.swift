import Synchronization

/// Byte buffers to reuse, for pieces made on several threads and written one after another:
/// a fresh buffer per piece is fresh pages from the kernel each time, zeroed and faulted in.
package final class BufferPool: Sendable {
    private let buffers = Mutex<[[UInt8]]>([])
    private let limit: Int

    /// A pool that keeps at most `limit` buffers.
    package init(limit: Int = 8) {
        self.limit = limit
    }

    /// An empty buffer, with the capacity of one given back when there is one.
    /// - Complexity: O(1)
    package func take() -> [UInt8] {
        guard var buffer = buffers.withLock({ $0.popLast() }) else { return [] }
        buffer.removeAll(keepingCapacity: true)
        return buffer
    }

    /// Keeps `buffer` for a later `take` (dropped when the pool is full).
    /// - Complexity: O(1)
    package func give(_ buffer: [UInt8]) {
        buffers.withLock { if $0.count < limit { $0.append(buffer) } }
    }
}
