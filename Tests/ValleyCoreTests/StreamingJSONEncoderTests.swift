import Foundation
import XCTest
@testable import ValleyCore

/// The journal's encoder: whatever it writes, Foundation's decoder reads back as the same value.
final class StreamingJSONEncoderTests: XCTestCase {
    enum Shape: Codable, Equatable {
        case point
        case circle(radius: Double)
        case labelled(String, [Int?])
    }

    struct Inner: Codable, Equatable {
        var name: String
        var tags: [String]
        var score: Double?
    }

    struct Outer: Codable, Equatable {
        var id: String
        var count: Int
        var small: Int8
        var flag: Bool
        var inner: Inner
        var inners: [Inner]
        var optionalInner: Inner?
        var byName: [String: [Int]]
        var byNumber: [Int: String]
        var shapes: [Shape]
        var nested: [[Double]]
        var date: CalendarDate
        var nothing: String?
    }

    func roundTrip<T: Codable & Equatable>(_ value: T, file: StaticString = #filePath, line: UInt = #line) throws {
        let bytes = try StreamingJSONEncoder().encode(value)
        let decoded = try JSONDecoder().decode(T.self, from: Data(bytes))
        XCTAssertEqual(decoded, value, String(decoding: bytes, as: UTF8.self), file: file, line: line)
    }

    func testWhatItWritesDecodesToTheSameValue() throws {
        let text = "quote \" backslash \\ line\nbreak tab\t bell \u{7} escape \u{1B}[31m 细胞治疗 🧬 /slash"
        let outer = Outer(
            id: "a", count: Int.min, small: -128, flag: true,
            inner: Inner(name: text, tags: [], score: nil),
            inners: [Inner(name: "", tags: ["x", "y"], score: 1e-300), Inner(name: "b", tags: ["z"], score: -0.0)],
            optionalInner: nil, byName: ["k": [1, 2], "": []], byNumber: [3: "three", -1: "minus one"],
            shapes: [.point, .circle(radius: 0.1), .labelled("l", [1, nil, 3])],
            nested: [[], [1, 2.5, 1e15, 123456789012345.5, -7]], date: CalendarDate("2024-06")!, nothing: nil)
        try roundTrip(outer)
        try roundTrip([outer, outer])
        try roundTrip([Inner?.none, Inner(name: "n", tags: [], score: 5)])
        try roundTrip("top-level string")
        try roundTrip([String: Inner]())
        XCTAssertEqual(String(decoding: try StreamingJSONEncoder().encode(Inner(name: "n", tags: ["t"], score: 5)), as: UTF8.self),
                       #"{"name":"n","tags":["t"],"score":5}"#, "compact, keys in encoding order, integral doubles without a fraction")
    }

    /// Shapes a hand-written encode(to:) may take (found by review): super encoders with and
    /// without a key or a value, and going back to a nested container after a sibling wrote.
    struct Awkward: Encodable {
        enum Key: String, CodingKey { case x, items, meta, parent }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(1, forKey: .x)
            _ = container.superEncoder(forKey: .parent)  // nothing written: {}
            var meta = container.nestedContainer(keyedBy: Key.self, forKey: .meta)
            var items = container.nestedUnkeyedContainer(forKey: .items)
            try items.encode(1)
            try meta.encode(2, forKey: .x)  // back to a container a sibling closed
            var base = container.superEncoder().container(keyedBy: Key.self)
            try base.encode("b", forKey: .x)
        }
    }

    struct AwkwardRead: Decodable, Equatable {
        struct Meta: Decodable, Equatable { var x: Int }
        struct Base: Decodable, Equatable { var x: String }
        var x: Int
        var items: [Int]
        var meta: Meta
        var `super`: Base
        var parent: [String: Int]
    }

    func testOutOfOrderAndSuperEncodersGiveValidJSON() throws {
        let bytes = try StreamingJSONEncoder().encode(Awkward())
        XCTAssertEqual(try JSONDecoder().decode(AwkwardRead.self, from: Data(bytes)),
                       AwkwardRead(x: 1, items: [1], meta: .init(x: 2), super: .init(x: "b"), parent: [:]), String(decoding: bytes, as: UTF8.self))
        XCTAssertEqual(String(decoding: try StreamingJSONEncoder().encode([-0.0, 0.0]), as: UTF8.self), "[-0.0,0]", "-0 stays -0")
    }

    func testNonFiniteNumbersAreRefusedAsJSONEncoderRefusesThem() {
        XCTAssertThrowsError(try StreamingJSONEncoder().encode([Double.nan]))
        XCTAssertThrowsError(try StreamingJSONEncoder().encode(Inner(name: "", tags: [], score: .infinity)))
    }
}
