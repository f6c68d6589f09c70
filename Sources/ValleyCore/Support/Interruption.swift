import Synchronization

/// The process-wide Ctrl-C flag: the signal handler sets it, long commands poll it.
public enum Interruption {
    /// Set from the SIGINT handler; `Atomic` stores are async-signal-safe (lock-free).
    static let flag = Atomic<Bool>(false)

    /// Marks an interrupt as requested (called from the signal handler).
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// True when an interrupt is pending.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Clears a pending interrupt, returning whether there was one.
    @discardableResult
    public static func reset() -> Bool { flag.exchange(false, ordering: .relaxed) }

    /// Throws `ValleyError.interrupted` when Ctrl-C was pressed; long loops call this often.
    public static func check() throws {
        if flag.load(ordering: .relaxed) { throw ValleyError.interrupted }
    }
}
