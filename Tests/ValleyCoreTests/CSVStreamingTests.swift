import Foundation
import XCTest
import Synchronization
@testable import ValleyCore
import ValleyTestSupport

/// `CSVReader(contentsOf:)` reads a megabyte at a time; it must give exactly what the
/// in-memory reader gives, wherever the chunk boundaries fall.
final class CSVStreamingTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "valley-csv-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    /// Seeded random CSV of about `size` bytes: quoted fields with commas, doubled quotes and
    /// line breaks, Chinese text, CRLF and LF line ends, and now and then a very long field.
    func randomCSV(size: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let pieces = ["a", "Nanjing", "驯鹿生物", "1998-03", ",", "\"", "\n", "\r\n", " ", "x;y"]
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        while bytes.count < size {
            for column in 0..<4 {
                if column > 0 { bytes.append(0x2C) }
                let length = next(50) == 0 ? 5_000 + next(300_000) : next(6)
                let text = (0..<length).map { _ in pieces[next(pieces.count)] }.joined()
                if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r\n" }) || next(4) == 0 {
                    bytes += Array(("\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"").utf8)
                } else {
                    bytes += Array(text.utf8)
                }
            }
            bytes += next(3) == 0 ? [0x0D, 0x0A] : [0x0A]
        }
        return bytes
    }

    func testStreamingGivesTheSameRecordsAsReadingWhole() throws {
        for seed: UInt64 in 1...3 {
            let bytes = randomCSV(size: 3_500_000, seed: seed)
            let path = directory + "/random-\(seed).csv"
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            let whole = try CSVReader(bytes: bytes, path: "r.csv").records()
            let streamed = try CSVReader(contentsOf: path, name: "r.csv").records()
            XCTAssertGreaterThan(whole.count, 50)
            XCTAssertEqual(streamed.count, whole.count, "seed \(seed)")
            XCTAssertTrue(streamed == whole, "seed \(seed): the first difference is at record \(zip(streamed, whole).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1)")
        }
    }

    func testStreamingReportsTheSameErrors() throws {
        var good = randomCSV(size: 1_200_000, seed: 9)
        good += Array("ok,1\nbad,\"never closed\n".utf8) + Array(repeating: 0x61, count: 2_000_000)
        let path = directory + "/broken.csv"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(good)))
        var whole: (any Error)?
        var streamed: (any Error)?
        XCTAssertThrowsError(try CSVReader(bytes: good, path: "b.csv").records()) { whole = $0 }
        XCTAssertThrowsError(try CSVReader(contentsOf: path, name: "b.csv").records()) { streamed = $0 }
        XCTAssertEqual(streamed as? ValleyError, whole as? ValleyError)
        XCTAssertNotNil(whole as? ValleyError)

        XCTAssertThrowsError(try CSVReader(contentsOf: directory + "/none.csv", name: "none.csv").records()) {
            XCTAssertEqual($0 as? ValleyError, .file(path: "none.csv", reason: "no such file"))
        }
        XCTAssertThrowsError(try CSVReader(contentsOf: directory, name: "dir").records()) {
            XCTAssertEqual($0 as? ValleyError, .file(path: "dir", reason: "is a directory, not a file"))
        }
    }
}

extension CSVStreamingTests {
    /// CSV is written on bytes: a field is quoted when a scalar is a comma, a quote or a line
    /// break (every one `Character.isNewline` knows), even one a combining mark follows, and
    /// quotes are doubled.
    func testByteWriterQuotesByScalar() throws {
        func reference(_ fields: [String]) -> String {
            fields.map { field -> String in
                let breaks: Set<Unicode.Scalar> = ["\n", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{2028}", "\u{2029}"]
                let quoted = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || breaks.contains($0) }
                return quoted ? "\"" + field.unicodeScalars.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\"" : field
            }.joined(separator: ",") + "\r\n"
        }
        var random = SeededGenerator(state: 17)
        let pieces = ["a", "南京", ",", "\"", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}", " ", "é", "|", ";", "", "\u{301}", "\u{200D}"]
        for _ in 0..<500 {
            let fields = (0..<Int.random(in: 1...6, using: &random)).map { _ in
                (0..<Int.random(in: 0...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            }
            var bytes: [UInt8] = []
            CSVWriter.append(fields, to: &bytes)
            XCTAssertEqual(Array(String(decoding: bytes, as: UTF8.self).unicodeScalars), Array(reference(fields).unicodeScalars), "\(fields)")
            XCTAssertEqual(CSVWriter.record(fields).utf8.count, bytes.count)
        }
    }
}


extension CSVStreamingTests {
    /// The field-by-field writer of exports makes the bytes `CSVWriter.append` makes of the
    /// same fields, quoting included.
    func testRecordWriterMatchesTheArrayWriter() {
        var random = SeededGenerator(state: 29)
        let pieces = ["a", "南京", ",", "\"", "\n", "\r\n", "\u{0B}", "\u{85}", "\u{2028}", "\u{2029}", " ", "é", "|", ";", "", "\u{301}", "-", "\u{C2}"]
        var joined = CSVRecordWriter()
        var reference: [UInt8] = []
        for _ in 0..<500 {
            let fields = (0..<Int.random(in: 1...6, using: &random)).map { _ in
                (0..<Int.random(in: 0...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            }
            CSVWriter.append(fields, to: &reference)
            for field in fields { joined.field(field) }
            joined.endRecord()
        }
        XCTAssertEqual(joined.bytes, reference)

        var writer = CSVRecordWriter()
        writer.field(nil as String?)
        writer.field(CalendarDate(year: 2019, month: 3))
        writer.field(-42)
        let items = ["a,b", "c"]
        writer.field(joining: items.span, separator: UInt8(ascii: ";")) { text, bytes in bytes.append(contentsOf: text.utf8) }
        writer.endRecord()
        XCTAssertEqual(String(decoding: writer.bytes, as: UTF8.self), ",2019-03,-42,\"a,b;c\"\r\n")
    }

    /// A date's bytes are its description, at every precision and at the edges of the years.
    func testDateBytesAreItsDescription() {
        for year in [-32768, -5, 0, 7, 99, 999, 1000, 2024, 9999, 10000, 32767] {
            for date in [CalendarDate(year: year), CalendarDate(year: year, month: 1), CalendarDate(year: year, month: 12, day: 31), CalendarDate(year: year, month: 2, day: 9)] {
                var bytes: [UInt8] = []
                date.appendDescription(to: &bytes)
                XCTAssertEqual(String(decoding: bytes, as: UTF8.self), date.description)
            }
        }
    }

    /// `ParallelChunks.stream` hands every piece over once, in order, and stops at the first
    /// error of either side without consuming a later piece.
    func testStreamKeepsOrderAndStopsAtAnError() throws {
        struct Stop: Error, Equatable { let at: Int }
        var seen: [Range<Int>] = []
        try ParallelChunks.stream(count: 100_000, pieces: 37, minimumPerPiece: 100, produce: { $0 }) { seen.append($0); return true }
        XCTAssertEqual(seen.count, 37)
        XCTAssertEqual(seen.first?.lowerBound, 0)
        XCTAssertEqual(seen.last?.upperBound, 100_000)
        XCTAssertTrue(zip(seen, seen.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })

        var consumed = 0
        XCTAssertThrowsError(try ParallelChunks.stream(count: 100_000, pieces: 50, minimumPerPiece: 100, produce: { range in
            if range.lowerBound == 20_000 { throw Stop(at: 20_000) }
            return range
        }) { _ in consumed += 1; return true }) { XCTAssertEqual($0 as? Stop, Stop(at: 20_000)) }
        XCTAssertEqual(consumed, 10)

        consumed = 0
        XCTAssertThrowsError(try ParallelChunks.stream(count: 100_000, pieces: 50, minimumPerPiece: 100, produce: { $0 }) { range in
            consumed += 1
            if consumed == 3 { throw Stop(at: range.lowerBound) }
            return true
        }) { XCTAssertEqual($0 as? Stop, Stop(at: 4_000)) }
        XCTAssertEqual(consumed, 3)

        // Below two pieces' worth of rows: one piece, made on the calling thread.
        seen = []
        try ParallelChunks.stream(count: 150, pieces: 8, minimumPerPiece: 100, produce: { $0 }) { seen.append($0); return true }
        XCTAssertEqual(seen, [0..<150])
    }

    /// `ParallelChunks.pipeline` hands every batch over once, in order, never more than its
    /// window ahead; a producer's error arrives after the batches sent before it; a consumer's
    /// error stops the producer, which has ended when the call returns.
    func testPipelineKeepsOrderBoundsItsWindowAndStopsBothWays() throws {
        struct Stop: Error, Equatable { let at: Int }
        let sent = Mutex(0)
        var received: [Int] = []
        try ParallelChunks.pipeline(window: 3, produce: { send in
            for batch in 0..<500 {
                sent.withLock { $0 = batch + 1 }
                guard send(batch) else { return }
            }
        }, consume: { batch in
            // The producer waits for room: besides the batch in hand, at most the window's
            // batches wait and one more is being sent (`sent` counts it once it starts).
            XCTAssertLessThanOrEqual(sent.withLock { $0 } - batch, 3 + 2)
            received.append(batch)
        })
        XCTAssertEqual(received, Array(0..<500))

        received = []
        XCTAssertThrowsError(try ParallelChunks.pipeline(produce: { send in
            for batch in 0..<10 { _ = send(batch) }
            throw Stop(at: 10)
        }, consume: { received.append($0) })) { XCTAssertEqual($0 as? Stop, Stop(at: 10)) }
        XCTAssertEqual(received, Array(0..<10), "every batch sent before the error is consumed first")

        // The consumer stops with batches waiting: the producer's next send says so, and the
        // run ends only once the producer has returned.
        let producerEnded = Mutex(false)
        let refusedSends = Mutex(0)
        XCTAssertThrowsError(try ParallelChunks.pipeline(window: 2, produce: { send in
            defer { producerEnded.withLock { $0 = true } }
            for batch in 0..<1_000 where !send(batch) {
                refusedSends.withLock { $0 += 1 }
                return
            }
        }, consume: { batch in
            if batch == 5 { throw Stop(at: 5) }
        })) { XCTAssertEqual($0 as? Stop, Stop(at: 5)) }
        XCTAssertTrue(producerEnded.withLock { $0 })
        XCTAssertEqual(refusedSends.withLock { $0 }, 1)

        // A producer that ignores a refusal and sends on is refused at once each time, not
        // left waiting for room (which would hang the caller).
        let refusals = Mutex(0)
        XCTAssertThrowsError(try ParallelChunks.pipeline(window: 1, produce: { send in
            for batch in 0..<200 where !send(batch) { refusals.withLock { $0 += 1 } }
        }, consume: { batch in
            if batch == 2 { throw Stop(at: 2) }
        })) { XCTAssertEqual($0 as? Stop, Stop(at: 2)) }
        XCTAssertGreaterThan(refusals.withLock { $0 }, 190)
    }
}
