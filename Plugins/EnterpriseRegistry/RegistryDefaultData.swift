import ValleyCore

/// The registry's part of the built-in data: the enterprises the seeds name and the reported totals.
enum RegistryDefaultData {
    static func contribute(to model: inout ClusterModel) throws {
        try model.insert(contentsOf: [
            // Chinese names and aliases are the common names of each field, for imports of
            // registry exports that write sectors in words.
            Sector(id: "cell-therapy", name: "cell therapy", nameZH: "细胞治疗", aliases: ["cell therapies", "细胞疗法"]),
            Sector(id: "gene-therapy", name: "gene therapy", nameZH: "基因治疗", aliases: ["gene therapies", "基因疗法"]),
            Sector(id: "innovative-drugs", name: "innovative drugs", nameZH: "创新药", aliases: ["创新药物"]),
            Sector(id: "medical-devices", name: "high-end medical devices", nameZH: "高端医疗器械", aliases: ["medical devices", "医疗器械"]),
            Sector(id: "cro-cdmo", name: "CRO/CDMO (discovery and outsourcing)", nameZH: "医药研发外包",
                   aliases: ["CRO/CDMO", "CRO", "CDMO", "CXO", "CRO / CDMO"]),
            Sector(id: "pharmaceuticals", name: "pharmaceutical R&D and manufacturing", nameZH: "医药研发与制造",
                   aliases: ["pharmaceuticals", "医药制造", "化学药"]),
            Sector(id: "diagnostics", name: "diagnostics", nameZH: "诊断", aliases: ["体外诊断", "IVD", "in vitro diagnostics"]),
            Sector(id: "biologics", name: "biologics", nameZH: "生物制品", aliases: ["生物药", "biopharmaceuticals"]),
        ])
        let valley = "NJBPV"
        let region = "Jiangbei New Area, Nanjing"
        try model.insert(contentsOf: [
            Enterprise(
                id: "iaso-bio", nameEN: "IASO Bio", nameZH: "驯鹿生物", aliases: ["Reindeer Medical"],
                sectors: ["cell-therapy"], park: valley, region: region,
                sources: ["seed-chinaorg-2025", "seed-efec-2025", "iasobio-site"], asOf: CalendarDate(year: 2025),
                note: "'Reindeer Medical' (seed 003) is taken to be IASO Bio: 驯鹿 means reindeer, both seeds place a gene/cell-therapy company of that name in the valley, and no other company of that name is recorded."),
            Enterprise(id: "wuxi-apptec", nameEN: "WuXi AppTec", sectors: ["cro-cdmo"], park: valley, region: region,
                       sources: ["seed-efec-2025"], asOf: CalendarDate(year: 2025)),
            Enterprise(
                id: "pharmablock", nameEN: "PharmaBlock Sciences", nameZH: "药石科技", aliases: ["Pharmablock"],
                founded: CalendarDate(year: 2006), sectors: ["cro-cdmo"], park: valley, region: region,
                listings: [Listing(exchange: "SZSE", ticker: "300725.SZ", date: CalendarDate("2017-11-10"), source: "company-filings")],
                sources: ["seed-efec-2025", "company-filings"], asOf: CalendarDate(year: 2025)),
            Enterprise(
                id: "geneseeq", nameEN: "Geneseeq", founded: CalendarDate(year: 2008), sectors: ["gene-therapy", "cell-therapy"],
                park: valley, region: region, sources: ["seed-efec-2025", "company-filings"], asOf: CalendarDate(year: 2025),
                note: "Founded in Toronto in 2008; Nanjing headquarters since 2013."),
            Enterprise(
                id: "simcere", nameEN: "Simcere", nameZH: "先声药业", aliases: ["Simcere Pharmaceutical"],
                founded: CalendarDate(year: 1995), sectors: ["pharmaceuticals"], park: valley, region: region,
                listings: [Listing(exchange: "HKEX", ticker: "2096.HK", date: CalendarDate("2020-10-27"), source: "company-filings")],
                sources: ["seed-efec-2025", "company-filings"], asOf: CalendarDate(year: 2025)),
            Enterprise(id: "luye-pharma", nameEN: "Luye Pharma", sectors: ["pharmaceuticals"], park: valley, region: region,
                       sources: ["seed-efec-2025"], asOf: CalendarDate(year: 2025)),
        ])
        let asOf = CalendarDate(year: 2025)
        try model.insert(contentsOf: [
            Indicator(id: "nanjing-hightech-biomed-enterprises", name: "high-tech biomedicine enterprises", unit: "enterprises",
                      definition: "enterprises certified as high-tech in biomedicine", scope: "biomedicine", region: "Nanjing",
                      observations: [Observation(period: asOf, value: 1032, source: "seed-chinaorg-2025", asOf: asOf)],
                      registryCount: RegistryCount(designation: "high-tech enterprise")),
            Indicator(id: "nanjing-little-giants", name: "national little giant SMEs", unit: "enterprises",
                      definition: "national-level specialised and sophisticated 'little giant' SMEs", scope: "biomedicine", region: "Nanjing",
                      observations: [Observation(period: asOf, value: 35, source: "seed-chinaorg-2025", asOf: asOf)],
                      registryCount: RegistryCount(designation: "little giant")),
            Indicator(id: "njbpv-companies", name: "companies in the valley", unit: "enterprises",
                      definition: "life-science companies (seed 000) / enterprises (seed 003) in NJBPV", scope: "life sciences", region: "NJBPV",
                      observations: [Observation(period: asOf, value: 1300, isFloor: true, source: "seed-chinaorg-2025", asOf: asOf),
                                     Observation(period: asOf, value: 1000, isFloor: true, source: "seed-efec-2025", asOf: asOf)],
                      registryCount: RegistryCount(park: "NJBPV")),
            Indicator(id: "njbpv-listed-firms", name: "listed firms in the valley", unit: "enterprises",
                      definition: "listed companies in NJBPV", scope: "life sciences", region: "NJBPV",
                      observations: [Observation(period: asOf, value: 5, source: "seed-chinaorg-2025", asOf: asOf)],
                      registryCount: RegistryCount(designation: "listed", park: "NJBPV")),
            Indicator(id: "njbpv-cutting-edge-smes", name: "cutting-edge SMEs in the valley", unit: "enterprises",
                      definition: "cutting-edge SMEs in NJBPV", scope: "life sciences", region: "NJBPV",
                      observations: [Observation(period: asOf, value: 53, source: "seed-chinaorg-2025", asOf: asOf)],
                      registryCount: RegistryCount(designation: "cutting-edge SME", park: "NJBPV")),
        ])
    }
}
