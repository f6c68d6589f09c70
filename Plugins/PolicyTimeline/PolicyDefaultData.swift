import ValleyCore

/// The policy plugin's part of the built-in data: dated policies, events and the revenue series.
enum PolicyDefaultData {
    static func contribute(to model: inout ClusterModel) throws {
        let fourMeasures = ["R&D innovation", "technology transfer", "regulatory approval", "talent development"]
        try model.insert(contentsOf: [
            Policy(id: "jiangbei-national-new-area", title: "Jiangbei New Area designated a National New Area", issuer: "State Council",
                   level: .national, instrument: .designation, issued: CalendarDate("2015-06")!, targetRegions: ["Jiangbei New Area"],
                   sources: ["state-council-designations", "seed-efec-2025"]),
            Policy(id: "jiangsu-ftz-nanjing-area", title: "China (Jiangsu) Pilot Free Trade Zone, Nanjing Area", issuer: "State Council",
                   level: .national, instrument: .designation, issued: CalendarDate("2019-08")!, targetRegions: ["Jiangbei New Area"],
                   sources: ["state-council-designations", "seed-efec-2025"]),
            Policy(id: "nanjing-biomed-five-year-plan-2020", title: "Five-year plan for biomedicine industry development",
                   issuer: "Nanjing Municipal Government", level: .municipal, instrument: .plan, issued: CalendarDate(year: 2020),
                   measures: fourMeasures, targetSectors: ["cell-therapy", "gene-therapy", "innovative-drugs", "medical-devices"],
                   targetRegions: ["Nanjing"], sources: ["seed-chinaorg-2025"]),
            Policy(id: "nanjing-biomed-cluster-action-plan-2020", title: "Action plan for building a biomedicine industry cluster",
                   issuer: "Nanjing Municipal Government", level: .municipal, instrument: .actionPlan, issued: CalendarDate(year: 2020),
                   measures: fourMeasures, targetRegions: ["Nanjing"], sources: ["seed-chinaorg-2025"]),
            Policy(id: "nanjing-life-health-landmark-2020", title: "Action plan: new medicine and life health as an industry landmark",
                   issuer: "Nanjing Municipal Government", level: .municipal, instrument: .actionPlan, issued: CalendarDate("2020-08")!,
                   targetRegions: ["Nanjing"], sources: ["investchn-2020"]),
            Policy(id: "nanjing-bioeconomy-2021-2023", title: "Bio-economy three-year action plan 2021–2023",
                   issuer: "Nanjing Municipal Government", level: .municipal, instrument: .actionPlan, issued: CalendarDate("2021-09-18")!,
                   expiry: CalendarDate(year: 2023), targetRegions: ["Nanjing"],
                   goals: [PolicyGoal(indicator: "bio-economy scale (CNY bn)", value: 400, year: 2023)], sources: ["njdaily-2021"]),
            Policy(id: "jiangsu-ftz-nanjing-white-list-2024", title: "White list for R&D imports (Jiangsu FTZ Nanjing Area)",
                   issuer: "Jiangsu FTZ Nanjing Area", level: .park, instrument: .whiteList, issued: CalendarDate("2024-01-12")!,
                   targetRegions: ["Jiangbei New Area"], sources: ["smejs-2024", "jiangsu-gov-2024"]),
            Policy(id: "jiangsu-ftz-biomed-whole-chain-2025", title: "Whole-chain biomedicine plan for the Jiangsu FTZ",
                   issuer: "State Council", level: .national, instrument: .pilot, issued: CalendarDate("2025-08")!,
                   targetRegions: ["Jiangsu Pilot Free Trade Zone"], sources: ["statecouncil-mirror-2025"]),
        ])
        try model.insert(contentsOf: [
            Event(id: "njbpv-decided", date: CalendarDate("2010-03")!, kind: "decision", subject: "NJBPV",
                  summary: "Decision to build the valley", sources: ["njbpv-overview"]),
            Event(id: "njbpv-founded", date: CalendarDate("2011-03")!, kind: "founded", subject: "NJBPV",
                  summary: "Valley approved; 14.92 km² (8.1 R&D, 6.82 manufacturing)", sources: ["njbpv-overview", "seed-chinaorg-2025"]),
            Event(id: "cambridge-nanjing-centre", date: CalendarDate(year: 2019), kind: "centre opened", subject: "Jiangbei New Area",
                  summary: "Cambridge University–Nanjing Centre of Technology and Innovation set up", sources: ["seed-efec-2025"]),
            Event(id: "fucaso-approved", date: CalendarDate("2023-06-30")!, kind: "approval", subject: "iaso-bio",
                  summary: "NMPA approves Fucaso (equecabtagene autoleucel)", sources: ["iasobio-site"]),
            Event(id: "white-list-second-batch", date: CalendarDate("2024-04-09")!, kind: "designation", subject: "Jiangbei New Area",
                  summary: "Second batch of the R&D import white list", sources: ["jiangsu-gov-2024"]),
            Event(id: "njbpv-ranked-8th", date: CalendarDate(year: 2024), kind: "ranking", subject: "NJBPV",
                  summary: "8th nationally in biomedicine-park competitiveness", sources: ["cncbd-ranking-2024"]),
            Event(id: "hk-car-t-delivery", date: CalendarDate(year: 2025), kind: "delivery milestone", subject: "iaso-bio",
                  summary: "CAR-T therapy delivered to a patient in Hong Kong; sample under 30 h, product under 144 h",
                  sources: ["seed-chinaorg-2025"]),
        ])
        try model.insert(contentsOf: [
            Indicator(id: "nanjing-biomed-revenue", name: "Nanjing biomedicine revenue", unit: "CNY bn",
                      definition: "revenue of the biomedicine industry", scope: "biomedicine", region: "Nanjing",
                      observations: [
                          Observation(period: CalendarDate(year: 2016), value: 49.5, source: "investnanjing-2017", asOf: CalendarDate("2017-06-22")),
                          Observation(period: CalendarDate(year: 2018), value: 60, source: "parkchn-2021", asOf: CalendarDate("2021-09-29")),
                          Observation(period: CalendarDate(year: 2023), value: 200, isFloor: true, source: "chinaorg-mirror-2023"),
                          Observation(period: CalendarDate(year: 2024), value: 210, isFloor: true, source: "seed-chinaorg-2025", asOf: CalendarDate(year: 2025)),
                      ]),
            Indicator(id: "nanjing-biomed-revenue-growth", name: "Nanjing biomedicine revenue growth", unit: "%",
                      definition: "year-on-year growth of biomedicine revenue as reported", scope: "biomedicine", region: "Nanjing",
                      observations: [
                          Observation(period: CalendarDate(year: 2016), value: 10, source: "investnanjing-2017", asOf: CalendarDate("2017-06-22")),
                          Observation(period: CalendarDate(year: 2024), value: 5, source: "seed-chinaorg-2025", asOf: CalendarDate(year: 2025)),
                      ]),
            Indicator(id: "njbpv-approved-drugs", name: "drugs from valley companies approved in China", unit: "drugs",
                      definition: "drugs developed by valley companies with market approval in China (cumulative)", scope: "pharmaceuticals",
                      region: "NJBPV",
                      observations: [Observation(period: CalendarDate(year: 2025), value: 400, isFloor: true, source: "seed-chinaorg-2025")]),
        ])
    }
}
