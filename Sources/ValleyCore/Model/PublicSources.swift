/// The documents the built-in data set cites. Plugins add the ones they use; ids are shared.
///
/// Seeds are the two articles in `shared/seeds/`; the rest are public pages recorded in the
/// project's domain notes. Pages that repost others are marked `.mirror`.
public enum PublicSources {
    /// Every built-in source, by id.
    public static let all: [Source] = [
        Source(id: "seed-chinaorg-2025", title: "Nanjing city official on the biomedicine cluster (interview; seed 000)",
               publisher: "China.org.cn", address: "shared/seeds/000_d8f7e5e64a7a9ba6.txt",
               published: CalendarDate(year: 2025), reliability: .secondary),
        Source(id: "seed-efec-2025", title: "Inside Nanjing's Biopharma Valley: China–UK innovation synergy (visit report; seed 003)",
               publisher: "EFEC", address: "shared/seeds/003_a69f79e47f857040.txt",
               published: CalendarDate(year: 2025), reliability: .secondary),
        Source(id: "njbpv-overview", title: "NJBPV overview", publisher: "Nanjing Biotech and Pharmaceutical Valley",
               address: "en.njbpv.cn", reliability: .primary),
        Source(id: "cncbd-ranking-2024", title: "Biomedicine park competitiveness ranking 2024 (repost)",
               publisher: "China National Center for Biotechnology Development (via a mirror)", published: CalendarDate(year: 2024), reliability: .mirror),
        Source(id: "investnanjing-2017", title: "Nanjing biomedicine industry figures", publisher: "Invest Nanjing",
               address: "en.investnanjing.gov.cn", published: CalendarDate("2017-06-22"), reliability: .primary),
        Source(id: "parkchn-2021", title: "Nanjing biomedicine revenue 2018", publisher: "parkchn.com",
               address: "parkchn.com", published: CalendarDate("2021-09-29"), reliability: .secondary),
        Source(id: "chinaorg-mirror-2023", title: "Nanjing biomedicine revenue 2023 (repost of China.org.cn)", publisher: "China.org.cn (via a mirror)",
               published: CalendarDate(year: 2024), reliability: .mirror),
        Source(id: "investchn-2020", title: "Nanjing action plan for new medicine and life health as an industry landmark", publisher: "investchn.com",
               address: "investchn.com", published: CalendarDate("2020-09-18"), reliability: .secondary),
        Source(id: "njdaily-2021", title: "Nanjing bio-economy three-year action plan 2021–2023", publisher: "Nanjing Daily",
               address: "njdaily.cn", published: CalendarDate("2021-09-18"), reliability: .secondary),
        Source(id: "smejs-2024", title: "Jiangsu FTZ Nanjing Area white list for R&D imports", publisher: "smejs.cn",
               address: "smejs.cn", published: CalendarDate("2024-01-12"), reliability: .secondary),
        Source(id: "jiangsu-gov-2024", title: "White list for R&D imports, second batch", publisher: "Jiangsu Provincial Government",
               address: "doc.jiangsu.gov.cn", published: CalendarDate("2024-04-09"), reliability: .primary),
        Source(id: "statecouncil-mirror-2025", title: "State Council approval of a whole-chain biomedicine plan for the Jiangsu FTZ (repost)",
               publisher: "State Council (via a mirror)", published: CalendarDate("2025-08"), reliability: .mirror),
        Source(id: "iasobio-site", title: "IASO Bio news: Fucaso approved by NMPA", publisher: "IASO Bio",
               address: "en.iasobio.com", published: CalendarDate("2023-06-30"), reliability: .primary),
        Source(id: "company-filings", title: "Company founding and listing facts (domain notes)", publisher: "Valley domain notes from public company pages",
               address: "shared/DOMAIN.md", reliability: .secondary),
        Source(id: "xinmin-2025", title: "Cross-border CAR-T transport case", publisher: "Xinmin Evening News",
               published: CalendarDate("2025-03-25"), reliability: .secondary),
        Source(id: "shipper-blogs", title: "Dry vapour shipper hold times", publisher: "Cryoport and Fisher BioServices blogs",
               reliability: .secondary),
        Source(id: "pudong-customs-mirror-2025", title: "Hong Kong apheresis bag cleared at Shanghai Pudong 4 h after landing (repost)",
               publisher: "news report (via a mirror)", published: CalendarDate(year: 2025), reliability: .mirror),
        Source(id: "isbt128-st028", title: "ISBT 128 ST-028: chain of identity for cellular therapy", publisher: "ICCBBA",
               reliability: .primary),
        Source(id: "miit-designations", title: "MIIT SME tiers and high-tech enterprise certification (domain notes)",
               publisher: "Valley domain notes from public MIIT pages", address: "shared/DOMAIN.md", reliability: .secondary),
        Source(id: "valley-domain-notes", title: "Figures the domain notes give without a named page", publisher: "Valley domain notes",
               address: "shared/DOMAIN.md", reliability: .mirror),
        Source(id: "state-council-designations", title: "State Council approvals of Jiangbei New Area (2015) and the Jiangsu Pilot FTZ (2019)",
               publisher: "State Council of the PRC", address: "gov.cn", reliability: .primary),
        Source(id: "valley-assumption", title: "Valley modelling assumption (not a sourced fact)", publisher: "Valley",
               reliability: .mirror),
    ]

    /// The sources with the given ids (for a plugin's contribution).
    public static func subset(_ ids: [String]) -> [Source] {
        all.filter { ids.contains($0.id) }
    }
}
