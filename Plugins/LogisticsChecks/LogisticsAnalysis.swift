import ArgumentParser
import ValleyCore

/// Renders a plan leg by leg in each site's local time, and its verdict against a profile.
enum PlanReport {
    static func steps(_ plan: ShipmentPlan, model: ClusterModel) throws -> Table {
        var table = Table(columns: ["#", "leg", "kind", "wait", "start (local)", "arrive (local)", "duration", "elapsed"])
        for (index, step) in plan.steps.enumerated() {
            let timed = plan.depart != nil
            table.append([
                .integer(index + 1), .text(step.leg.id), .text(step.leg.kind.rawValue),
                TransitDuration(seconds: step.wait).cell,
                timed ? .text(LocalClock.format(step.start, zone: try model.zone(ofSite: step.leg.from))) : .empty,
                timed ? .text(LocalClock.format(step.end, zone: try model.zone(ofSite: step.leg.to))) : .empty,
                step.leg.duration.cell, TransitDuration(seconds: step.end - (plan.depart ?? 0)).cell,
            ])
        }
        return table
    }

    /// Emits the checks and the verdict: a sentence for people, a record for programs
    /// (`{"result": "PASS", "critical leg": …, "reasons": [...]}`). Returns whether it passes.
    @discardableResult
    static func emitVerdict(_ plan: ShipmentPlan, profile: CargoProfile, into context: inout CommandContext) -> Bool {
        let (table, summary, passes, critical, reasons) = verdict(plan, profile: profile)
        context.emit(table, name: "checks")
        if context.format.isData {
            context.emit(Table.record([("result", .text(passes ? "PASS" : "FAIL")), ("critical leg", critical.map(Cell.text) ?? .empty),
                                       ("reasons", .list(reasons))]), name: "verdict")
        } else {
            context.emit(text: summary)
        }
        return passes
    }

    static func verdict(_ plan: ShipmentPlan, profile: CargoProfile) -> (Table, String, Bool, String?, [String]) {
        let verdict = WindowVerdict(total: plan.total, profile: profile)
        var table = Table(columns: ["check", "limit", "total", "slack", "result"])
        for line in verdict.lines {
            table.append([.text(line.check), line.limit.cell, plan.total.cell, line.slack.cell, .text(line.passes ? "pass" : "FAIL")])
        }
        var reasons: [String] = []
        let criticalStep = plan.steps.max(by: { ($0.wait + $0.leg.duration.seconds) < ($1.wait + $1.leg.duration.seconds) })
        if let critical = criticalStep {
            reasons.append("critical leg: \(critical.leg.id) (\(critical.leg.duration)" + (critical.wait > 0 ? " + \(TransitDuration(seconds: critical.wait)) waiting" : "") + ")")
        }
        let waiting = plan.steps.reduce(0) { $0 + $1.wait }
        if waiting > 0 { reasons.append("waiting for departures and office hours: \(TransitDuration(seconds: waiting))") }
        for line in verdict.lines where !line.passes { reasons.append("\(line.check) exceeded by \(TransitDuration(seconds: -line.slack.seconds))") }
        if plan.depart == nil, plan.steps.contains(where: { $0.leg.schedule != nil }) {
            reasons.append("no --depart: timetables and office hours were not applied")
        }
        return (table, "verdict: \(verdict.passes ? "PASS" : "FAIL") — " + reasons.joined(separator: "; "), verdict.passes, criticalStep?.leg.id, reasons)
    }
}

// MARK: - logistics check

struct LogisticsCheck: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", _superCommandName: "logistics",
        abstract: "Can a shipment on this route make its window? Leg by leg in local time, waits counted, slack and the critical leg.")

    @Argument(help: "A route id or name.") var route: String
    @Option(help: "A cargo profile id or name.") var cargo: String
    @Option(help: "Departure, e.g. 2025-03-01T15:30+08:00, or 2025-03-01T15:30 in the origin's local time (without it, legs run back to back).") var depart: String?
    @Flag(help: "Exit with status 1 when the verdict is FAIL (for scripts).") var strict = false

    mutating func run(in context: inout CommandContext) throws {
        let model = context.model
        let found = try model.route(named: route)
        let profile = try model.cargo(named: cargo)
        let legs = try model.legs(of: found)
        let start = try departure(depart, origin: legs.first?.from, in: model)
        let plan = try ShipmentPlan.plan(legs, depart: start) { try model.offset(ofSite: $0, at: start ?? 0) }
        context.emit(try PlanReport.steps(plan, model: model), name: "legs")
        let passes = PlanReport.emitVerdict(plan, profile: profile, into: &context)
        if strict, !passes { context.fail("\(found.id) with \(profile.id): verdict FAIL (--strict)") }
    }
}

// MARK: - logistics whatif

struct LogisticsWhatIf: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif", _superCommandName: "logistics", abstract: "The check again with changed steps, side by side with the original.")

    @Argument(help: "A route id or name.") var route: String
    @Option(help: "A cargo profile.") var cargo: String
    @Option(help: "Departure, e.g. 2025-03-01T15:30+08:00.") var depart: String?
    @Option(help: "A change: LEG.duration=4h, LEG.duration=+8h or -2h (relative), or LEG.schedule='daily 06:00-22:00' (repeatable).") var set: [String] = []

    mutating func run(in context: inout CommandContext) throws {
        guard !set.isEmpty else { throw ValidationError("give at least one --set LEG.duration=VALUE") }
        let model = context.model
        let found = try model.route(named: route)
        let profile = try model.cargo(named: cargo)
        let original = try model.legs(of: found)
        let start = try departure(depart, origin: original.first?.from, in: model)
        var changed = original
        for change in set {
            let parts = change.split(separator: "=", maxSplits: 1).map(String.init)
            let target = parts.first?.split(separator: ".").map(String.init) ?? []
            guard parts.count == 2, target.count == 2, let index = changed.firstIndex(where: { $0.id == target[0] }) else {
                throw ValleyError.invalidValue(field: "--set", value: change, expected: "LEG.duration=VALUE or LEG.schedule=VALUE with LEG one of \(original.map(\.id).joined(separator: ", "))")
            }
            switch target[1] {
            case "duration":
                // `+8h` / `-2h`: a change relative to the leg's duration in the model.
                let option = "--set \(target[0]).duration"
                if let sign = parts[1].first, sign == "+" || sign == "-" {
                    let delta = try duration(String(parts[1].dropFirst()), option: option).seconds
                    let seconds = changed[index].duration.seconds + (sign == "+" ? delta : -delta)
                    guard seconds >= 0 else {
                        throw ValleyError.invalidValue(field: option, value: parts[1], expected: "a change that leaves the duration (\(changed[index].duration)) at 0 or more")
                    }
                    changed[index].duration = TransitDuration(seconds: seconds)
                } else {
                    changed[index].duration = try duration(parts[1], option: option)
                }
            case "schedule":
                guard parts[1] == "none" || WeeklySchedule.parse(parts[1]) != nil else {
                    throw ValleyError.invalidValue(field: "--set \(target[0]).schedule", value: parts[1], expected: "'Mon-Sat 10:00,18:30', 'daily 08:00-20:00' or none")
                }
                changed[index].schedule = parts[1] == "none" ? nil : WeeklySchedule.parse(parts[1])
            default:
                throw ValleyError.invalidValue(field: "--set", value: change, expected: "a duration or schedule change")
            }
        }
        let offsets: (String) throws -> Int = { try model.offset(ofSite: $0, at: start ?? 0) }
        let before = try ShipmentPlan.plan(original, depart: start, offsets: offsets)
        let after = try ShipmentPlan.plan(changed, depart: start, offsets: offsets)
        var table = Table(columns: ["leg", "duration", "wait", "elapsed", "→ duration", "→ wait", "→ elapsed"])
        for (a, b) in zip(before.steps, after.steps) {
            table.append([.text(a.leg.id), a.leg.duration.cell, TransitDuration(seconds: a.wait).cell,
                          TransitDuration(seconds: a.end - (start ?? 0)).cell, b.leg.duration.cell,
                          TransitDuration(seconds: b.wait).cell, TransitDuration(seconds: b.end - (start ?? 0)).cell])
        }
        context.emit(table, name: "legs")
        let first = PlanReport.verdict(before, profile: profile)
        let second = PlanReport.verdict(after, profile: profile)
        if context.format.isData {
            var verdicts = Table(columns: ["plan", "total", "result", "critical leg", "reasons"])
            for (label, plan, verdict) in [("original", before, first), ("changed", after, second)] {
                verdicts.append([.text(label), plan.total.cell, .text(verdict.2 ? "PASS" : "FAIL"), verdict.3.map(Cell.text) ?? .empty, .list(verdict.4)])
            }
            context.emit(verdicts, name: "verdicts")
        } else {
            context.emit(text: "original: total \(before.total), \(first.1)\nchanged:  total \(after.total), \(second.1)")
        }
    }
}

// MARK: - logistics sweep

struct LogisticsSweep: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep", _superCommandName: "logistics",
        abstract: "Pass or fail and slack for every departure in a week, as a weekday × hour map (--format csv for the rows).")

    @Argument(help: "A route id or name.") var route: String
    @Option(help: "A cargo profile.") var cargo: String
    @Option(name: .customLong("week-of"), help: "A date in the week (YYYY-MM-DD); the week starts Monday 00:00 at the origin.") var weekOf: String
    @Option(help: "Step between departures, e.g. 1h or 30m.") var step = "1h"


    mutating func run(in context: inout CommandContext) throws {
        let model = context.model
        let found = try model.route(named: route)
        let profile = try model.cargo(named: cargo)
        let legs = try model.legs(of: found)
        guard let origin = legs.first?.from else { throw ValleyError.refused("route \(found.id) has no legs") }
        guard let day = CalendarDate(weekOf), let month = day.month, let dayOfMonth = day.day else {
            throw ValleyError.invalidValue(field: "--week-of", value: weekOf, expected: "a date YYYY-MM-DD")
        }
        let stepLength = try duration(step, option: "--step")
        guard stepLength.seconds >= 300, 86_400 % stepLength.seconds == 0 else {
            throw ValleyError.invalidValue(field: "--step", value: step, expected: "at least 5m and dividing a day evenly (e.g. 30m, 1h, 2h)")
        }
        let days = LocalClock.days(year: day.year, month: month, day: dayOfMonth)
        let monday = days - ((days + 3) % 7 + 7) % 7
        let offset = try model.offset(ofSite: origin, at: monday * 86_400)
        let perDay = 86_400 / stepLength.seconds
        var results: [(weekday: Int, slot: Int, depart: Int, verdict: WindowVerdict)] = []
        var offsets: [String: Int] = [:]
        for site in Set(legs.flatMap { [$0.from, $0.to] }) { offsets[site] = try model.offset(ofSite: site, at: monday * 86_400) }
        for weekday in 0..<7 {
            for slot in 0..<perDay {
                try Interruption.check()
                let depart = (monday + weekday) * 86_400 + slot * stepLength.seconds - offset
                let plan = try ShipmentPlan.plan(legs, depart: depart) { offsets[$0] ?? 0 }
                results.append((weekday, slot, depart, WindowVerdict(total: plan.total, profile: profile)))
            }
        }
        if context.format.isData {
            var table = Table(columns: ["weekday", "depart (local)", "result", "slack h"])
            let zone = try model.zone(ofSite: origin)
            for result in results {
                table.append([.text(WeeklySchedule.dayNames[result.weekday]), .text(LocalClock.format(result.depart, zone: zone)),
                              .text(result.verdict.passes ? "pass" : "fail"), .number(result.verdict.slack.hours, digits: 1)])
            }
            context.emit(table)
            return
        }
        var lines = ["departures from \(origin), week of \(weekOf), every \(stepLength) (local time); \(found.id) with \(profile.id)"]
        let header = (0..<perDay).map { slot -> String in
            let minute = slot * stepLength.seconds / 60
            return minute % 180 == 0 ? String(LocalClock.two(minute / 60)) : ""
        }
        lines.append("     " + zip(header, 0..<perDay).map { label, _ in label.isEmpty ? " " : String(label.prefix(1)) }.joined())
        lines.append("     " + header.map { $0.isEmpty ? " " : String($0.suffix(1)) }.joined())
        for weekday in 0..<7 {
            let row = results.filter { $0.weekday == weekday }.map { result -> String in
                guard result.verdict.passes else { return "✗" }
                let slack = result.verdict.slack.seconds
                return slack >= 6 * 3600 ? "█" : (slack >= 2 * 3600 ? "▓" : "░")
            }
            lines.append(WeeklySchedule.dayNames[weekday] + "  " + row.joined())
        }
        let passing = results.filter(\.verdict.passes).count
        lines.append("█ pass with ≥ 6h slack  ▓ ≥ 2h  ░ < 2h  ✗ fail — \(passing) of \(results.count) departures pass")
        if let best = results.max(by: { $0.verdict.slack < $1.verdict.slack }) {
            lines.append("most slack: \(LocalClock.format(best.depart, zone: try model.zone(ofSite: origin))) (\(best.verdict.slack))")
        }
        context.emit(text: lines.joined(separator: "\n"))
    }
}

// MARK: - logistics earliest

struct LogisticsEarliest: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "earliest", _superCommandName: "logistics",
        abstract: "The earliest arrival over every leg and timetable in the model (a network, not one route), with the path.")

    @Argument(help: "The origin site.") var from: String
    @Argument(help: "The destination site.") var to: String
    @Option(help: "Departure, e.g. 2025-03-01T15:30+08:00.") var depart: String
    @Option(help: "A cargo profile whose window to check.") var cargo: String?


    mutating func run(in context: inout CommandContext) throws {
        let model = context.model
        let from = try model.resolveID(Site.self, self.from), to = try model.resolveID(Site.self, self.to)
        guard let start = try departure(depart, origin: from, in: model) else { throw ValidationError("give --depart") }
        let network = try TransitNetwork(model: model, at: start)
        guard let path = try network.earliest(from: from, to: to, depart: start) else {
            throw ValleyError.refused("no path from \(from) to \(to) over the legs in the model")
        }
        let plan = ShipmentPlan(depart: start, steps: path)
        context.emit(try PlanReport.steps(plan, model: model), name: "legs")
        if let cargo {
            PlanReport.emitVerdict(plan, profile: try model.cargo(named: cargo), into: &context)
        } else {
            context.emit(text: "arrives \(LocalClock.format(path.last?.end ?? start, zone: try model.zone(ofSite: to))) after \(plan.total)")
        }
    }
}

/// Legs as a time-dependent graph; earliest arrival by Dijkstra (waiting is allowed, so
/// arrival times are FIFO and the label-setting search is exact).
struct TransitNetwork {
    let outgoing: [String: [Leg]]
    let offsets: [String: Int]

    init(model: ClusterModel, at instant: Int) throws {
        outgoing = Dictionary(grouping: model.legs, by: \.from)
        var offsets: [String: Int] = [:]
        var zones: [String: Int] = [:]
        for site in model.sites {
            if let known = zones[site.timeZone] { offsets[site.id] = known; continue }
            let offset = try LocalClock.zone(site.timeZone).offset(at: instant)
            zones[site.timeZone] = offset
            offsets[site.id] = offset
        }
        self.offsets = offsets
    }

    func earliest(from origin: String, to destination: String, depart: Int) throws -> [ShipmentPlan.Step]? {
        var best: [String: Int] = [origin: depart]
        var via: [String: ShipmentPlan.Step] = [:]
        var heap = MinHeap()
        heap.push(depart, origin)
        var settled = Set<String>()
        while let (time, site) = heap.pop() {
            if site == destination { break }
            guard settled.insert(site).inserted, time == best[site] else { continue }
            for leg in outgoing[site] ?? [] {
                let start = try ShipmentPlan.earliestStart(leg, ready: time, offset: offsets[leg.from] ?? 0)
                let arrival = start + leg.duration.seconds
                if arrival < best[leg.to] ?? Int.max {
                    best[leg.to] = arrival
                    via[leg.to] = ShipmentPlan.Step(leg: leg, ready: time, start: start, end: arrival)
                    heap.push(arrival, leg.to)
                }
            }
        }
        guard best[destination] != nil else { return nil }
        var path: [ShipmentPlan.Step] = []
        var site = destination
        while site != origin, let step = via[site] {
            path.append(step)
            site = step.leg.from
        }
        return path.reversed()
    }

    /// A binary min-heap of (time, site).
    struct MinHeap {
        private var items: [(Int, String)] = []

        mutating func push(_ time: Int, _ site: String) {
            items.append((time, site))
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard items[child].0 < items[parent].0 else { break }
                items.swapAt(child, parent)
                child = parent
            }
        }

        mutating func pop() -> (Int, String)? {
            guard !items.isEmpty else { return nil }
            items.swapAt(0, items.count - 1)
            let top = items.removeLast()
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count, items[left].0 < items[smallest].0 { smallest = left }
                if right < items.count, items[right].0 < items[smallest].0 { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
            return top
        }
    }
}
