// A Valley plugin in Swift: park land parcels and their tenants (`landuse`).
//
// Built by the package (`swift build -c release --product valley-land-use`), then added with
// `plugin add .build/release/valley-land-use`. It speaks protocol 2 (docs/plugin-protocol.md):
// besides what protocol 1 has, valley asks it to complete `--zone` values at each Tab.
// Foundation only; one JSON object per line on stdin and stdout.
import Foundation

let zones = ["biopharma-core", "incubator", "logistics", "residential", "reserve"]

let declaration: [String: Any] = [
    "namespace": "landuse",
    "summary": "Park land parcels, their zones and tenants.",
    "version": "1.0.0",
    "kinds": [[
        "name": "parcels", "label": "parcel",
        "fields": [
            ["name": "zone", "type": "text", "required": true, "values": zones, "help": "planning zone"],
            ["name": "area", "type": "number", "required": true, "minimum": 1, "maximum": 10_000_000, "help": "area in m²"],
            ["name": "tenant", "type": "text", "references": "enterprises", "help": "the enterprise on it"],
        ],
    ]],
    "commands": [
        ["name": "add", "summary": "Add a parcel.",
         "arguments": [["name": "id", "help": "A parcel id, e.g. P-07."]],
         "options": [
            ["name": "zone", "required": true, "help": "Its planning zone.", "complete": ["plugin": true]],
            ["name": "area", "type": "number", "required": true, "help": "Its area in m²."],
            ["name": "tenant", "help": "The enterprise on it.", "complete": ["records": "enterprises"]],
         ]],
        ["name": "zones", "summary": "Area and tenants per zone."],
        ["name": "tenant", "summary": "One enterprise as a tenant: its name and status.",
         "arguments": [["name": "enterprise", "help": "An enterprise id.", "complete": ["records": "enterprises"]]]],
        ["name": "stream", "summary": "Stream every enterprise through a callback; report the count and the bytes seen.",
         "options": [["name": "fields", "default": "id,name", "help": "The fields to stream.", "complete": ["fields": "enterprises"]]]],
    ],
]

// MARK: - Protocol

let input = FileHandle.standardInput
var pending = Data()

/// The next line from valley (nil at end of input).
@MainActor func readLine() -> Data? {
    while true {
        if let newline = pending.firstIndex(of: 0x0A) {
            let line = pending[pending.startIndex..<newline]
            pending = pending[(newline + 1)...]
            return Data(line)
        }
        let chunk = input.availableData
        if chunk.isEmpty { return nil }
        pending.append(chunk)
    }
}

@MainActor func receive() -> [String: Any] {
    guard let line = readLine(), let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else { exit(0) }
    return object
}

@MainActor func send(_ message: [String: Any]) {
    var data = (try? JSONSerialization.data(withJSONObject: message)) ?? Data("{}".utf8)
    data.append(0x0A)
    FileHandle.standardOutput.write(data)
}

var request = 0

/// Streams the records of a query through `body`, one row (an array of values) at a time.
/// Rows arrive in batches; each batch line is decoded once.
@MainActor func query(kind: String, fields: [String], where filter: String? = nil, _ body: ([Any]) -> Void) throws {
    request += 1
    var message: [String: Any] = ["type": "query", "request": request, "kind": kind, "fields": fields]
    if let filter { message["where"] = filter }
    send(message)
    let header = receive()
    if header["type"] as? String == "error" { throw PluginFailure(message: header["message"] as? String ?? "query refused") }
    while true {
        let answer = receive()
        if answer["type"] as? String == "end" { return }
        for row in answer["rows"] as? [[Any]] ?? [] { body(row) }
    }
}

struct PluginFailure: Error { var message: String }

@MainActor func table(_ columns: [String], _ rows: [[Any]]) -> [String: Any] { ["columns": columns, "rows": rows] }

// MARK: - Commands

@MainActor func run(_ command: String, _ arguments: [String: Any]) throws -> [String: Any] {
    switch command {
    case "add":
        var record: [String: Any] = ["id": arguments["id"] ?? "", "zone": arguments["zone"] ?? "", "area": arguments["area"] ?? 0]
        if let tenant = arguments["tenant"] as? String { record["tenant"] = tenant }
        return ["changes": [["op": "add", "kind": "parcels", "record": record]]]
    case "zones":
        var area: [String: Double] = [:], tenants: [String: Set<String>] = [:]
        try query(kind: "parcels", fields: ["zone", "area", "tenant"]) { row in
            guard let zone = row[0] as? String else { return }
            area[zone, default: 0] += (row[1] as? NSNumber)?.doubleValue ?? 0
            if let tenant = row[2] as? String { tenants[zone, default: []].insert(tenant) }
        }
        let rows = area.keys.sorted().map { zone -> [Any] in [zone, area[zone]!, tenants[zone]?.count ?? 0] }
        return ["tables": [table(["zone", "area m²", "tenants"], rows)]]
    case "tenant":
        let key = arguments["enterprise"] as? String ?? ""
        request += 1
        send(["type": "get", "request": request, "kind": "enterprises", "keys": [key]])
        let answer = receive()
        guard let record = (answer["records"] as? [Any])?.first as? [String: Any] else {
            throw PluginFailure(message: "no enterprise '\(key)'")
        }
        return ["tables": [table(["enterprise", "name", "status"], [[key, record["name"] ?? NSNull(), record["status"] ?? NSNull()]])]]
    case "stream":
        let fields = (arguments["fields"] as? String ?? "id,name").split(separator: ",").map(String.init)
        var count = 0, characters = 0
        try query(kind: "enterprises", fields: fields) { row in
            count += 1
            characters += (row.first as? String)?.count ?? 0
        }
        return ["tables": [table(["enterprises streamed", "id characters"], [[count, characters]])]]
    default:
        throw PluginFailure(message: "unknown command '\(command)'")
    }
}

// MARK: - Main loop

let hello = receive()
let offered = hello["protocols"] as? [Int] ?? []
guard let version = [2, 1].first(where: offered.contains) else {
    send(["type": "hello", "protocols": [1, 2]])
    exit(0)
}
send(["type": "hello", "protocol": version, "declaration": declaration])
while true {
    let message = receive()
    switch message["type"] as? String {
    case "call":
        let call = message["call"] as? Int ?? 0
        do {
            var result = try run(message["command"] as? String ?? "", message["arguments"] as? [String: Any] ?? [:])
            result["type"] = "result"
            result["call"] = call
            send(result)
        } catch let failure as PluginFailure {
            send(["type": "error", "call": call, "message": failure.message])
        }
    case "complete":
        let partial = message["partial"] as? String ?? ""
        send(["type": "completions", "call": message["call"] ?? 0, "values": zones.filter { $0.hasPrefix(partial) }])
    default:
        continue
    }
}
