import ArgumentParser
import ValleyCore
import ValleyTableFiles

// MARK: - logistics audit

struct LogisticsAudit: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", _superCommandName: "logistics",
        abstract: "Audit a shipment log (csv: time,place,party,kind,temperature,identity): one finding per line with the log's line number.",
        discussion: "Finds temperature excursions, time-limit breaches, custody gaps (a hand-over with no party or no time), identity changes and X-ray events.")

    @Argument(help: "The log file (CSV/TSV in any encoding, or .xlsx).", completion: .file(extensions: ["csv", "tsv", "txt", "xlsx"])) var log: String
    @Option(help: "The cargo profile to audit against.") var cargo: String
    @Option(help: "The IANA time zone of times written without an offset, e.g. Asia/Hong_Kong (default: such times are refused).") var tz: String?
    @Option(help: "utf-8, gb18030 (also gbk), utf-16le or utf-16be (default: detected).") var encoding: TextEncoding?
    @Option(help: "The sheet of an .xlsx workbook, by name or number (default: the first).") var sheet: String?
    @Option(help: "Read a column as a field: COLUMN=FIELD, or COLUMN=- to drop it (repeatable).") var map: [String] = []


    static let columns = ["time", "place", "party", "kind", "temperature", "identity"]

    /// A temperature in °C as loggers write it: `4.8`, `4.8°C`, `4.8 °C`, `4.8℃`, `4.8C`; nil for
    /// anything else and for `nan`/`inf` (which would compare false with every bound).
    static func celsius(_ text: String) -> Double? {
        var number = Substring(text)
        for suffix in ["°C", "°c", "℃", "C", "c", "°"] where number.hasSuffix(suffix) {
            number = number.dropLast(suffix.count)
            break
        }
        guard let value = Double(String(number).trimmingSpaces), value.isFinite else { return nil }
        return value
    }

    mutating func run(in context: inout CommandContext) throws {
        let zone = try tz.map { try LocalClock.zone($0) }
        let profile = try context.model.cargo(named: cargo)
        let rows = try TableFile(path: context.resolve(path: log), name: log, options: TableFile.Options(encoding: encoding, sheet: sheet))
        // A log's columns: unknown ones are refused (a misspelt 'temprature' would silently
        // drop every excursion), unless dropped with --map COLUMN=-.
        let mapping = try ColumnMapping(header: rows.header, fields: [
            ImportField("time", aliases: ["timestamp", "时间"]), ImportField("place", aliases: ["location", "地点"]),
            ImportField("party", aliases: ["handler", "经手人"]), ImportField("kind", aliases: ["event", "事件"]),
            ImportField("temperature", aliases: ["temp", "°c", "温度"]), ImportField("identity", aliases: ["id", "标识"]),
        ], maps: map, strict: true, file: log, line: rows.headerLine)
        let position = mapping.positions
        for required in ["time", "kind"] where position[required] == nil {
            throw ValleyError.located(file: log, line: rows.headerLine, .invalidValue(field: "header", value: rows.header.joined(separator: ","), expected: "a '\(required)' column"))
        }
        var findings = Table(columns: ["line", "finding", "detail"])
        var first: Int?
        var last: Int?
        var identity: (String, Int)?
        var breached: Set<String> = []
        var events = 0
        while let record = try rows.nextRecord() {
            events += 1
            func value(_ column: String) -> String {
                position[column].flatMap { $0 < record.fields.count ? record.fields[$0] : nil } ?? ""
            }
            let line = Cell.integer(record.line)
            var event = ShipmentEvent(time: nil, place: value("place"), party: value("party"), kind: value("kind").lowercased(),
                                      celsius: Self.celsius(value("temperature")),
                                      identity: value("identity"), line: record.line)
            if !value("time").isEmpty {
                do { event.time = try LocalClock.parse(value("time"), in: zone) } catch {
                    let hint = zone == nil && !LocalClock.hasOffset(value("time")) ? "; for local times give --tz ZONE (e.g. --tz Asia/Hong_Kong)" : ""
                    findings.append([line, "bad time", .text(ValleyError.describe(error) + hint)])
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
                        findings.append([line, "temperature excursion", .text("\(Cell.format(celsius, digits: celsius.rounded() == celsius ? 0 : 1)) °C outside \(range) °C")])
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
