import ValleyCore

/// A policy, plan, designation or pilot, with its issuer, dates, measures and targets.
public struct Policy: Codable, Hashable, Sendable, Identifiable {
    /// The level of government that issued it.
    public enum Level: String, Codable, Sendable, CaseIterable {
        case national, provincial, municipal, district, park
    }

    /// What kind of instrument it is.
    public enum Instrument: String, Codable, Sendable, CaseIterable {
        case plan, actionPlan = "action-plan", measures, designation, pilot, whiteList = "white-list"
    }

    /// Stable id, e.g. `nanjing-biomed-5yp-2020`.
    public var id: String
    /// The English title.
    public var title: String
    /// The Chinese title, when known.
    public var titleZH: String?
    /// The document number, when known.
    public var documentNumber: String?
    /// Who issued it.
    public var issuer: String
    /// The issuing level.
    public var level: Level
    /// The kind of instrument.
    public var instrument: Instrument
    /// When it was issued.
    public var issued: CalendarDate
    /// When it took effect, when different from `issued`.
    public var effective: CalendarDate?
    /// When it expires, when known.
    public var expiry: CalendarDate?
    /// Its standing as the sources report it (e.g. `in force`, `superseded`), when known.
    public var status: String?
    /// The measures it contains (R&D innovation, technology transfer, …).
    public var measures: [String]
    /// Sector ids it targets.
    public var targetSectors: [String]
    /// Enterprise ids it targets.
    public var targetEnterprises: [String]
    /// Regions it applies to.
    public var targetRegions: [String]
    /// Stated goals.
    public var goals: [PolicyGoal]
    /// Ids of the sources of this record.
    public var sources: [String]

    /// Creates a policy record.
    public init(id: String, title: String, titleZH: String? = nil, documentNumber: String? = nil,
                issuer: String, level: Level, instrument: Instrument, issued: CalendarDate,
                effective: CalendarDate? = nil, expiry: CalendarDate? = nil, measures: [String] = [],
                targetSectors: [String] = [], targetEnterprises: [String] = [], targetRegions: [String] = [],
                goals: [PolicyGoal] = [], sources: [String]) {
        self.id = id
        self.title = title
        self.titleZH = titleZH
        self.documentNumber = documentNumber
        self.issuer = issuer
        self.level = level
        self.instrument = instrument
        self.issued = issued
        self.effective = effective
        self.expiry = expiry
        self.measures = measures
        self.targetSectors = targetSectors
        self.targetEnterprises = targetEnterprises
        self.targetRegions = targetRegions
        self.goals = goals
        self.sources = sources
    }
}

/// A goal a policy states: an indicator reaching a value by a year.
public struct PolicyGoal: Codable, Hashable, Sendable {
    /// The indicator id or name.
    public var indicator: String
    /// The target value, in the indicator's unit.
    public var value: Double
    /// The year by which it should be reached.
    public var year: Int

    /// Creates a goal.
    public init(indicator: String, value: Double, year: Int) {
        self.indicator = indicator
        self.value = value
        self.year = year
    }
}
