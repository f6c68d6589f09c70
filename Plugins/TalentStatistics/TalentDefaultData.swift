import ValleyCore

/// The talent plugin's part of the built-in data. Only totals the sources give are stored:
/// no breakdown is invented.
enum TalentDefaultData {
    static func contribute(to model: inout ClusterModel) throws {
        try model.insert(contentsOf: [
            Institution(id: "nju", nameEN: "Nanjing University", kind: .comprehensiveUniversity, city: "Nanjing", sources: ["seed-efec-2025"]),
            Institution(id: "cpu", nameEN: "China Pharmaceutical University", kind: .specialisedUniversity, city: "Nanjing",
                        disciplines: ["pharmacy"], sources: ["seed-efec-2025"]),
            Institution(id: "seu", nameEN: "Southeast University", kind: .comprehensiveUniversity, city: "Nanjing", sources: ["seed-efec-2025"]),
            Institution(id: "pku-imm-nanjing", nameEN: "Peking University Institute of Molecular Medicine (Nanjing)", kind: .platform,
                        city: "Nanjing", sources: ["seed-efec-2025"]),
            Institution(id: "eastern-health-data-centre", nameEN: "Eastern National Health Data Centre", kind: .platform,
                        city: "Nanjing", sources: ["seed-efec-2025"]),
        ])
        try model.insert(contentsOf: [
            GraduateCohort(id: "nanjing-biomed-graduates-2025", population: "Nanjing", year: 2025, level: .all, discipline: "biomedicine",
                           count: 60_000, isFloor: true, definition: "graduates completing biomedicine studies in the city each year",
                           scope: "biomedicine graduates, Nanjing", source: "seed-chinaorg-2025"),
            GraduateCohort(id: "nanjing-life-science-graduates-2017", population: "Nanjing", year: 2017, level: .all, discipline: "life sciences",
                           count: 20_000, isFloor: true, definition: "life-science graduates a year",
                           scope: "life-science graduates, Nanjing", source: "valley-domain-notes"),
        ])
        try model.insert(contentsOf: [
            DisciplineSectors(discipline: "pharmacy", sectors: ["innovative-drugs", "pharmaceuticals"]),
            DisciplineSectors(discipline: "biomedicine", sectors: ["cell-therapy", "gene-therapy", "innovative-drugs", "biologics"]),
        ])
        let asOf = CalendarDate(year: 2025)
        try model.insert(contentsOf: [
            Indicator(id: "nanjing-specialised-colleges", name: "specialised colleges with related programmes", unit: "institutions",
                      definition: "specialised colleges offering biomedicine-related programmes", scope: "biomedicine education", region: "Nanjing",
                      observations: [Observation(period: asOf, value: 4, source: "seed-chinaorg-2025", asOf: asOf)]),
            Indicator(id: "nanjing-key-universities", name: "key universities with related programmes", unit: "institutions",
                      definition: "key universities offering biomedicine-related programmes", scope: "biomedicine education", region: "Nanjing",
                      observations: [Observation(period: asOf, value: 20, isFloor: true, source: "seed-chinaorg-2025", asOf: asOf)]),
            Indicator(id: "nanjing-universities", name: "universities in Nanjing", unit: "institutions",
                      definition: "universities of every field", scope: "all higher education", region: "Nanjing",
                      observations: [Observation(period: asOf, value: 53, source: "valley-domain-notes", asOf: asOf)]),
        ])
    }
}
