import ValleyCore

/// The graduates of one institution or region in one year, at one level and discipline.
public struct GraduateCohort: Codable, Hashable, Sendable, Identifiable {
    /// The degree level; `all` when the source gives only a total.
    public enum Level: String, Codable, Sendable, CaseIterable {
        case vocational, bachelor, master, doctoral, all
    }

    /// Stable id.
    public var id: String
    /// An institution id, or a region name when the figure covers a region.
    public var population: String
    /// The graduation year.
    public var year: Int
    /// The level.
    public var level: Level
    /// The discipline, or `all`.
    public var discipline: String
    /// The number of graduates.
    public var count: Int
    /// True when the source gives a floor ("over 60,000").
    public var isFloor: Bool
    /// What was counted, in our words.
    public var definition: String
    /// The scope of the count; counts of different scope are never summed silently.
    public var scope: String
    /// Id of the source.
    public var source: String

    /// Creates a cohort.
    public init(id: String, population: String, year: Int, level: Level, discipline: String, count: Int,
                isFloor: Bool, definition: String, scope: String, source: String) {
        self.id = id
        self.population = population
        self.year = year
        self.level = level
        self.discipline = discipline
        self.count = count
        self.isFloor = isFloor
        self.definition = definition
        self.scope = scope
        self.source = source
    }
}
