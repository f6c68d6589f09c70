import ArgumentParser
import ValleyCore

extension ClusterModel {
    /// The policy with this id or title.
    func policy(named name: String) throws -> Policy {
        try resolve(Policy.self, name)
    }

    /// The indicator with this id or name.
    func indicator(named name: String) throws -> Indicator {
        try resolve(Indicator.self, name)
    }
}

// MARK: - policy add

struct PolicyAdd: ValleyCommand {
    static let configuration = CommandConfiguration(commandName: "add", _superCommandName: "policy", abstract: "Add a policy, plan or designation.")

    @Argument(help: "A new stable id.") var id: String
    @Option(help: "English title.") var title: String
    @Option(name: .customLong("title-zh"), help: "Chinese title.") var titleZH: String?
    @Option(help: "Who issued it.") var issuer: String
    @Option(help: "national, provincial, municipal, district or park.") var level: Policy.Level
    @Option(help: "plan, action-plan, measures, designation, pilot or white-list.") var instrument: Policy.Instrument
    @Option(help: "Issue date: YYYY, YYYY-MM or YYYY-MM-DD.") var issued: String
    @Option(help: "A measure (repeatable).") var measure: [String] = []
    @Option(name: .customLong("target-sector"), help: "A targeted sector id (repeatable).") var targetSector: [String] = []
    @Option(name: .customLong("target-enterprise"), help: "A targeted enterprise id (repeatable).") var targetEnterprise: [String] = []
    @Option(name: .customLong("target-region"), help: "A targeted region (repeatable).") var targetRegion: [String] = []
    @Option(help: "Its standing, e.g. 'in force'.") var status: String?
    @Option(help: "A source id (repeatable; at least one).") var source: [String] = []

    mutating func run(in context: inout CommandContext) throws {
        guard !context.model.policies.contains(id: id) else { throw ValleyError.duplicateID(kind: "policy", id: id) }
        guard let date = CalendarDate(issued) else { throw ValleyError.invalidValue(field: "--issued", value: issued, expected: "YYYY, YYYY-MM or YYYY-MM-DD") }
        guard !source.isEmpty else { throw ValidationError("give at least one --source") }
        let source = try self.source.map { try context.model.resolveID(Source.self, $0) }
        let targetSector = try self.targetSector.map { try context.model.resolveID(Sector.self, $0) }
        let targetEnterprise = try self.targetEnterprise.map { try context.model.resolveID(Enterprise.self, $0) }
        var policy = Policy(
            id: id, title: title, titleZH: titleZH, issuer: issuer, level: level, instrument: instrument, issued: date,
            measures: measure, targetSectors: targetSector, targetEnterprises: targetEnterprise, targetRegions: targetRegion, sources: source)
        policy.status = status
        try context.model.insert(policy)
        context.emit(text: "added \(id)")
    }
}

// MARK: - policy targets

struct PolicyTargets: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets", _superCommandName: "policy", abstract: "The registry's enterprises a policy targets, by sector or by name.")

    @Argument(help: "A policy id or title.") var policy: String


    mutating func run(in context: inout CommandContext) throws {
        let found = try context.model.policy(named: policy)
        var table = Table(columns: ["enterprise", "name", "why"])
        for enterprise in context.model.enterprises {
            var reasons: [String] = []
            if found.targetEnterprises.contains(enterprise.id) { reasons.append("named") }
            let sectors = enterprise.sectors.filter(found.targetSectors.contains)
            if !sectors.isEmpty { reasons.append("sector " + sectors.joined(separator: ", ")) }
            if !reasons.isEmpty { table.append([.text(enterprise.id), .text(enterprise.displayName), .text(reasons.joined(separator: "; "))]) }
        }
        context.emit(table)
        if found.targetSectors.isEmpty, found.targetEnterprises.isEmpty {
            context.emit(text: "\(found.id) names no sectors or enterprises; it targets regions: \(found.targetRegions.joined(separator: ", "))")
        }
    }
}

// MARK: - policy impact

struct PolicyImpact: ValleyCommand {
    static let configuration = CommandConfiguration(
        commandName: "impact", _superCommandName: "policy",
        abstract: "An indicator before and after a policy: levels, growth and the pre-trend (descriptive, not causal).")

    @Argument(help: "A policy id or title.") var policy: String
    @Option(help: "The indicator.") var indicator: String
    @Option(help: "Years on each side of the issue year.") var window = 3


    mutating func run(in context: inout CommandContext) throws {
        // Calendar years are 1–9999 (CalendarDate), so no window wider than that can mean more.
        guard (1...9_999).contains(window) else { throw ValleyError.invalidValue(field: "--window", value: String(window), expected: "a number of years from 1 to 9999") }
        let found = try context.model.policy(named: policy)
        let series = try context.model.indicator(named: indicator)
        let year = found.issued.year
        let observations = series.observations.sorted { $0.period < $1.period }
        let before = observations.filter { (year - window..<year).contains($0.period.year) }
        let after = observations.filter { (year + 1...year + window).contains($0.period.year) }
        let during = observations.filter { $0.period.year == year }
        var table = Table(columns: ["span", "years", "observations", "first", "first year", "last", "last year", "growth % a year", "note"])
        func row(_ label: String, _ span: String, _ points: [Observation]) {
            let growth = points.count >= 2 ? GrowthMath.rate(from: points.first!, to: points.last!) : nil
            table.append([.text(label), .text(span), .integer(points.count),
                          points.first.map(ObservationText.cell) ?? .empty, points.first.map { .integer($0.period.year) } ?? .empty,
                          points.last.map(ObservationText.cell) ?? .empty, points.last.map { .integer($0.period.year) } ?? .empty,
                          growth?.cell ?? .empty, growth == nil ? .text(points.count < 2 ? "needs 2 observations" : "n/a") : .empty])
        }
        row("before (pre-trend)", "\(year - window)–\(year - 1)", before)
        row("issue year", String(year), during)
        row("after", "\(year + 1)–\(year + window)", after)
        if let last = before.last ?? during.last, let next = after.last {
            row("across the policy", "\(last.period.year)–\(next.period.year)", [last, next])
        }
        context.emit(text: "\(series.name) (\(series.unit); scope: \(series.scope)) around \(found.title) (\(found.issued)), window ±\(window) years")
        context.emit(table)
        var notes = ["Descriptive comparison, not a causal estimate: other policies and conditions changed in the same years."]
        if before.isEmpty { notes.append("No observations before \(year) in the window: there is no pre-trend to compare with.") }
        if after.isEmpty { notes.append("No observations after \(year) in the window.") }
        if observations.contains(where: \.isFloor) { notes.append("Floors (≥) make growth a bound, shown with ≥ or ≤.") }
        context.emit(text: notes.joined(separator: "\n"))
    }
}
