import ValleyCore

/// Policies and events on a year axis, with an optional indicator series beneath; drawn for
/// the terminal or as a standalone SVG.
struct TimelineChart {
    struct Mark {
        enum Kind: String { case policy, event }
        let kind: Kind
        let key: String
        let date: CalendarDate
        let label: String
    }

    let first: Int
    let last: Int
    let marks: [Mark]
    let series: Indicator?

    init(model: ClusterModel, from: Int?, to: Int?, indicator: Indicator?) {
        let policies = model.policies.sorted { $0.issued < $1.issued }
        let events = model.events.sorted { $0.date < $1.date }
        let years = policies.map(\.issued.year) + events.map(\.date.year) + (indicator?.observations.map(\.period.year) ?? [])
        let first = from ?? years.min() ?? 2011
        let last = max(first, to ?? years.max() ?? first)
        self.first = first
        self.last = last
        // Keys number the whole timeline, then the range is cut: P3 is the same policy with
        // or without --from.
        var marks: [Mark] = []
        for (index, policy) in policies.enumerated() where (first...last).contains(policy.issued.year) {
            marks.append(Mark(kind: .policy, key: "P\(index + 1)", date: policy.issued, label: "\(policy.title) (\(policy.level.rawValue) \(policy.instrument.rawValue))"))
        }
        for (index, event) in events.enumerated() where (first...last).contains(event.date.year) {
            marks.append(Mark(kind: .event, key: "E\(index + 1)", date: event.date, label: "\(event.summary) [\(event.kind), \(event.subject)]"))
        }
        self.marks = marks
        self.series = indicator.map { indicator in
            var trimmed = indicator
            trimmed.observations = indicator.observations.filter { (first...last).contains($0.period.year) }.sorted { $0.period < $1.period }
            return trimmed
        }
    }

    // MARK: - Terminal

    func text() -> String {
        let cell = 6
        let years = Array(first...last)
        let labelWidth = 10
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - displayWidth(text))) }
        var lines: [String] = []
        lines.append(pad("", labelWidth) + years.map { pad(String($0), cell) }.joined())
        lines.append(pad("", labelWidth) + years.map { _ in "┼" + String(repeating: "─", count: cell - 1) }.joined())
        for kind in [Mark.Kind.policy, .event] {
            let byYear = Dictionary(grouping: marks.filter { $0.kind == kind }, by: \.date.year)
            let depth = byYear.values.map(\.count).max() ?? 0
            for row in 0..<depth {
                let label = row == 0 ? (kind == .policy ? "policies" : "events") : ""
                let symbol = kind == .policy ? "◆" : "●"
                lines.append(pad(label, labelWidth) + years.map { year in
                    let here = byYear[year] ?? []
                    return pad(row < here.count ? symbol + here[row].key : "", cell)
                }.joined())
            }
        }
        if let series, !series.observations.isEmpty {
            let maximum = series.observations.map(\.value).max() ?? 1
            let blocks = Array("▁▂▃▄▅▆▇█")
            let byYear = Dictionary(series.observations.map { ($0.period.year, $0) }, uniquingKeysWith: { _, latest in latest })
            // The name in full on a line of its own; the rows below are labelled by what they show.
            lines.append(series.name + (series.unit.isEmpty ? "" : " (\(series.unit))"))
            lines.append(pad("level", labelWidth) + years.map { year in
                guard let observation = byYear[year], maximum > 0 else { return pad("", cell) }
                // Clamped as a Double: a tiny maximum makes the ratio overflow to ±inf, which Int() traps on.
                let level = Int(max(0, min(Double(blocks.count - 1), (observation.value / maximum * Double(blocks.count - 1)).rounded())))
                return pad(String(repeating: blocks[level], count: 3), cell)
            }.joined())
            lines.append(pad("value", labelWidth) + years.map { year in
                pad(byYear[year].map { ObservationText.value($0).replacingOccurrences(of: "≥ ", with: "≥") } ?? "", cell)
            }.joined())
        }
        lines.append("")
        for mark in marks {
            lines.append("\(mark.kind == .policy ? "◆" : "●")\(mark.key)  \(mark.date)  \(mark.label)")
        }
        if series != nil { lines.append("≥ marks a floor: the source says 'over'.") }
        return lines.map { line in String(line.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n") + "\n"
    }

    // MARK: - SVG

    /// An estimate of a text's width in an SVG sans-serif font at `size` px.
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.unicodeScalars.reduce(0) { $0 + (displayWidth(String($1)) > 1 ? 18 : 10) }) * size / 18
    }

    func svg() -> String {
        let left = 90.0, step = 70.0, axisY = 70.0
        let years = Array(first...last)
        let legend = marks.map { "\($0.key)  \($0.date)  \($0.label)" } + (series.map { ["\($0.name) (\($0.unit))"] } ?? [])
        // Wide enough for the axis and for the longest legend line (11 px text: about 6.2 px a
        // Latin character and 11 px a CJK one), so no line is cut at the right edge.
        let legendWidth = 10 + (legend.map { Self.textWidth($0, size: 11) }.max() ?? 0) + 20
        let width = max(left + step * Double(years.count) + 40, legendWidth).rounded(.up)
        func x(_ date: CalendarDate) -> Double {
            let fraction = Double((date.month ?? 7) - 1) / 12 + Double((date.day ?? 15) - 1) / 365
            return left + step * (Double(date.year - first) + fraction)
        }
        var body: [String] = []
        body.append(##"<line class="axis" x1="\##(left)" y1="\##(axisY)" x2="\##(left + step * Double(years.count))" y2="\##(axisY)" stroke="#333"/>"##)
        for (index, year) in years.enumerated() {
            let tick = left + step * Double(index)
            body.append(##"<line x1="\##(tick)" y1="\##(axisY - 5)" x2="\##(tick)" y2="\##(axisY + 5)" stroke="#333"/>"##)
            body.append(##"<text x="\##(tick + 4)" y="\##(axisY - 10)" font-size="12">\##(year)</text>"##)
        }
        var rowY: [String: Int] = [:]
        for mark in marks {
            let slot = "\(mark.kind.rawValue)-\(mark.date.year)"
            let row = rowY[slot, default: 0]
            rowY[slot] = row + 1
            let cx = x(mark.date)
            let cy = (mark.kind == .policy ? axisY + 25 : axisY + 25 + 90) + Double(row) * 22
            let title = "<title>\(XMLText.escape("\(mark.key) \(mark.date) \(mark.label)"))</title>"
            if mark.kind == .policy {
                body.append(##"<polygon class="policy" points="\##(cx),\##(cy - 8) \##(cx + 8),\##(cy) \##(cx),\##(cy + 8) \##(cx - 8),\##(cy)" fill="#1f6fb2">\##(title)</polygon>"##)
            } else {
                body.append(##"<circle class="event" cx="\##(cx)" cy="\##(cy)" r="7" fill="#d9822b">\##(title)</circle>"##)
            }
            body.append(##"<text x="\##(cx + 10)" y="\##(cy + 4)" font-size="11">\##(mark.key)</text>"##)
        }
        body.append(##"<text x="10" y="\##(axisY + 29)" font-size="12" font-weight="bold">policies</text>"##)
        body.append(##"<text x="10" y="\##(axisY + 119)" font-size="12" font-weight="bold">events</text>"##)
        var height = axisY + 200
        if let series, !series.observations.isEmpty {
            let top = height + 30, chartHeight = 120.0
            let maximum = max(series.observations.map(\.value).max() ?? 1, 1e-9)
            let points = series.observations.map { ($0, x($0.period), top + chartHeight - $0.value / maximum * chartHeight) }
            body.append(##"<text x="10" y="\##(top - 12)" font-size="12" font-weight="bold">\##(XMLText.escape(series.name)) (\##(XMLText.escape(series.unit)))</text>"##)
            // The y-axis: a line at the first year with 0, half and the maximum marked.
            body.append(##"<line class="y-axis" x1="\##(left)" y1="\##(top)" x2="\##(left)" y2="\##(top + chartHeight)" stroke="#333"/>"##)
            for fraction in [0.0, 0.5, 1.0] {
                let tickY = top + chartHeight - fraction * chartHeight
                let label = Cell.format(maximum * fraction, digits: maximum * fraction < 10 && fraction > 0 ? 1 : 0)
                body.append(##"<line x1="\##(left - 4)" y1="\##(tickY)" x2="\##(left)" y2="\##(tickY)" stroke="#333"/>"##)
                body.append(##"<text class="y-label" x="\##(left - 6)" y="\##(tickY + 4)" font-size="10" text-anchor="end">\##(label)</text>"##)
            }
            body.append(##"<polyline class="series" fill="none" stroke="#2a9d55" stroke-width="2" points="\##(points.map { "\($0.1),\($0.2)" }.joined(separator: " "))"/>"##)
            for (observation, px, py) in points {
                let fill = observation.isFloor ? "white" : "#2a9d55"
                body.append(##"<circle class="observation" cx="\##(px)" cy="\##(py)" r="4" fill="\##(fill)" stroke="#2a9d55"><title>\##(observation.period) \##(XMLText.escape(ObservationText.value(observation)))</title></circle>"##)
                body.append(##"<text x="\##(px + 6)" y="\##(py - 6)" font-size="11">\##(XMLText.escape(ObservationText.value(observation)))</text>"##)
            }
            height = top + chartHeight + 30
        }
        for (index, mark) in marks.enumerated() {
            body.append(##"<text x="10" y="\##(height + 16 * Double(index + 1))" font-size="11">\##(XMLText.escape("\(mark.key)  \(mark.date)  \(mark.label)"))</text>"##)
        }
        height += 16 * Double(marks.count + 1) + 10
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif">
            <rect width="100%" height="100%" fill="white"/>
            \(body.joined(separator: "\n"))
            </svg>

            """
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

// MARK: - policy timeline

import ArgumentParser

struct PolicyTimelineCommand: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline", _superCommandName: "policy",
        abstract: "Policies and events on a year axis, optionally with an indicator beneath; --svg writes the same chart.")

    @Option(help: "First year.") var from: String?
    @Option(help: "Last year.") var to: String?
    @Option(help: "An indicator to draw beneath.") var indicator: String?
    @Option(help: "Also write the chart as a standalone SVG file (atomically).", completion: .file(extensions: ["svg"])) var svg: String?

    mutating func run(in context: inout CommandContext) throws {
        let first = try parseYear(from, option: "--from")
        let last = try parseYear(to, option: "--to")
        if let first, let last, last < first { throw ValleyError.invalidValue(field: "--to", value: String(last), expected: "a year ≥ --from \(first)") }
        let series = try indicator.map { try context.model.indicator(named: $0) }
        let chart = TimelineChart(model: context.model, from: first, to: last, indicator: series)
        guard chart.last - chart.first <= 60 else { throw ValleyError.refused("\(chart.first)–\(chart.last) is more than 60 years; narrow it with --from and --to") }
        context.emit(text: chart.text())
        if let svg {
            try FileIO.writeAtomically(Array(chart.svg().utf8), to: context.resolve(path: svg))
            context.emit(text: "wrote \(svg)")
        }
    }
}
