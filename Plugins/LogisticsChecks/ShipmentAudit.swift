import ArgumentParser
import ValleyCore

// MARK: - logistics audit

struct LogisticsAudit: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", _superCommandName: "logistics",
        abstract: "Audit a shipment log (csv: time,place,party,kind,temperature,identity): one finding per line with the log's line number.",
        discussion: "Finds temperature excursions, time-limit breaches, custody gaps (a hand-over with no party or no time), identity changes and X-ray events.")

    @Argument(help: "The log file (CSV).", completion: .file(extensions: ["csv"])) var log: String
    @Option(help: "The cargo profile to audit against.") var cargo: String


    static let columns = ["time", "place", "party", "kind", "temperature", "identity"]

    mutating func run(in context: inout CommandContext) throws {
        let profile = try context.model.cargo(named: cargo)
        var rows = CSVReader(contentsOf: context.resolve(path: log), name: log).makeIterator()
        guard let header = try rows.nextRecord() else { throw ValleyError.file(path: log, reason: "is empty (expected a header row)") }
        var position: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            guard Self.columns.contains(name) else {
                throw ValleyError.located(file: log, line: 1, .invalidValue(field: "column", value: name, expected: "one of \(Self.columns.joined(separator: ", "))"))
            }
            position[name] = index
        }
        for required in ["time", "kind"] where position[required] == nil {
            throw ValleyError.located(file: log, line: 1, .invalidValue(field: "header", value: header.fields.joined(separator: ","), expected: "a '\(required)' column"))
        }
        var findings = Table(columns: ["line", "finding", "detail"])
        var first: Int?
        var last: Int?
        var identity: (String, Int)?
        var breached: Set<String> = []
        var events = 0
        while let record = try rows.nextRecord() {
            if record.fields == [""] { continue }
            events += 1
            func value(_ column: String) -> String {
                position[column].flatMap { $0 < record.fields.count ? record.fields[$0] : nil } ?? ""
            }
            let line = Cell.integer(record.line)
            var event = ShipmentEvent(time: nil, place: value("place"), party: value("party"), kind: value("kind").lowercased(),
                                      celsius: Double(value("temperature")).flatMap { $0.isFinite ? $0 : nil },  // `nan` compares false with every bound
                                      identity: value("identity"), line: record.line)
            if !value("time").isEmpty {
                do { event.time = try LocalClock.parse(value("time")) } catch {
                    findings.append([line, "bad time", .text(ValleyError.describe(error))])
                }
            }
            let time = event.time
            if event.isHandOver {
                if event.party.isEmpty { findings.append([line, "custody gap", "hand-over with no receiving party"]) }
                if value("time").isEmpty { findings.append([line, "custody gap", "hand-over with no time"]) }
            }
            if event.isXRay {
                findings.append([line, profile.xRayForbidden ? "X-ray (forbidden)" : "X-ray", .text("at \(event.place.isEmpty ? "an unrecorded place" : event.place)")])
            }
            let temperatureText = value("temperature")
            if !temperatureText.isEmpty {
                if let celsius = event.celsius {
                    if celsius > profile.maximumCelsius || (profile.minimumCelsius.map { celsius < $0 } ?? false) {
                        let range = (profile.minimumCelsius.map { Cell.format($0, digits: 0) + "…" } ?? "≤ ") + Cell.format(profile.maximumCelsius, digits: 0)
                        findings.append([line, "temperature excursion", .text("\(temperatureText) °C outside \(range) °C")])
                    }
                } else {
                    findings.append([line, "bad temperature", .text("'\(temperatureText)' is not a number of °C")])
                }
            }
            let code = event.identity
            if !code.isEmpty {
                if let (firstCode, firstLine) = identity, firstCode != code {
                    findings.append([line, "identity change", .text("'\(code)' differs from '\(firstCode)' (line \(firstLine))")])
                } else if identity == nil {
                    identity = (code, record.line)
                }
            }
            if let time {
                if let previous = last, time < previous { findings.append([line, "out of order", "earlier than the event before it"]) }
                if first == nil { first = time }
                last = max(last ?? time, time)
                let elapsed = TransitDuration(seconds: time - first!)
                for (check, limit) in [("contract window", profile.contractWindow), ("product limit", profile.maximumDuration),
                                       ("shipper hold − margin", profile.shipperHold - profile.holdMargin)]
                where elapsed > limit && breached.insert(check).inserted {
                    findings.append([line, "time-limit breach", .text("\(check) \(limit) exceeded: \(elapsed) since the first event")])
                }
            }
        }
        context.emit(findings)
        let span = (first != nil && last != nil) ? TransitDuration(seconds: last! - first!).description : "unknown"
        context.emit(text: "\(events) events over \(span); \(findings.rows.count) finding\(findings.rows.count == 1 ? "" : "s") against \(profile.id)")
    }
}
