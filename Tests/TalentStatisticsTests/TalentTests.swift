import Foundation
import XCTest
import ValleyCore
@testable import ValleyShell
import ValleyTestSupport
@testable import TalentStatistics

final class TalentTests: XCTestCase {
    /// Issue 15: a cohort whose population names an institution (by name, any case) is that
    /// institution's, not a region's; `--mix-scopes` growth is one series with its scopes noted.
    func testPopulationNamesResolveAndMixedGrowthIsOneSeries() {
        let harness = SessionHarness()
        harness.run([
            "talent cohort add t1 --population 'nanjing university' --year 2024 --level bachelor --discipline biology --count 100 --scope 'NJU bachelor' --definition graduates --source seed-efec-2025",
            "talent cohort add t2 --population Jiangsu --year 2024 --level bachelor --discipline biology --count 50 --scope 'NJU bachelor' --definition graduates --source seed-efec-2025",
            "set format csv", "talent cohort list", "talent summary --year 2024 --by kind",
            "talent growth --from 2017 --to 2025 --mix-scopes", "talent growth --from 2017 --to 2025",
        ])
        XCTAssertFalse(harness.stderr.contains("error"), harness.stderr)
        XCTAssertTrue(harness.stdout.contains("t1,2024,nju,bachelor"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("t2,2024,Jiangsu,bachelor"), "a region stays as written")
        XCTAssertTrue(harness.stdout.contains("comprehensive-university,100"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("all scopes (mixed),2025,"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("annualised over 7 years; scope: NJU bachelor"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("one year in range: no growth"), "a one-year series says why it has no growth")
    }

    /// A model with one source, two institutions and cohorts of one scope (plus one of another).
    func model() -> ClusterModel {
        var model = ClusterModel()
        try! model.insert(contentsOf: [Source(id: "s", title: "t", publisher: "p", reliability: .primary)] as [Source])
        try! model.insert(contentsOf: [Sector(id: "cell-therapy", name: "cell therapy"), Sector(id: "medical-devices", name: "devices")] as [Sector])
        try! model.insert(contentsOf: [
            Institution(id: "a", nameEN: "Alpha University", kind: .comprehensiveUniversity, city: "Nanjing", sources: ["s"]),
            Institution(id: "b", nameEN: "Beta College", kind: .specialisedCollege, city: "Nanjing", sources: ["s"]),
            Institution(id: "c", nameEN: "Gamma Institute", kind: .researchInstitute, city: "Nanjing", sources: ["s"]),
        ] as [Institution])
        func cohort(_ id: String, _ population: String, _ year: Int, _ level: GraduateCohort.Level, _ count: Int, floor: Bool = false, scope: String = "graduates") -> GraduateCohort {
            GraduateCohort(id: id, population: population, year: year, level: level, discipline: "biomedicine", count: count, isFloor: floor,
                           definition: "d", scope: scope, source: "s")
        }
        try! model.insert(contentsOf: [
            cohort("a23", "a", 2023, .bachelor, 200), cohort("a24", "a", 2024, .bachelor, 300),
            cohort("b24", "b", 2024, .master, 200, floor: true), cohort("c24", "c", 2024, .doctoral, 300),
            cohort("r24", "Nanjing", 2024, .all, 60_000, floor: true, scope: "city total"),
        ] as [GraduateCohort])
        try! model.insert(DisciplineSectors(discipline: "biomedicine", sectors: ["cell-therapy"]))
        try! model.insert(contentsOf: [
            Enterprise(id: "e1", nameEN: "E1", sectors: ["cell-therapy"], headcount: 100, sources: ["s"]),
            Enterprise(id: "e2", nameEN: "E2", sectors: ["cell-therapy"], headcount: 50, sources: ["s"]),
            Enterprise(id: "e3", nameEN: "E3", sectors: ["cell-therapy"], sources: ["s"]),
            Enterprise(id: "e4", nameEN: "E4", sectors: ["medical-devices"], headcount: 10, sources: ["s"]),
        ] as [Enterprise])
        return model
    }

    func testScopeRefusalNamesTheScopes() {
        let harness = SessionHarness(model: model())
        harness.run(["talent summary --year 2024"])
        XCTAssertEqual(harness.errorLines.count, 1)
        XCTAssertTrue(harness.errorLines[0].contains("different scopes (city total; graduates)"), harness.stderr)
    }

    func testTotalsSharesAndFloors() {
        var without = model()
        try! without.remove(GraduateCohort.self, id: "r24")
        let harness = SessionHarness(model: without)
        harness.run(["set format csv", "talent summary --year 2024 --by level"])
        XCTAssertEqual(harness.errors, [])
        // 300 + ≥200 + 300 = ≥ 800; shares 37.5, 25, 37.5.
        XCTAssertTrue(harness.stdout.contains("bachelor,300,37.5\r\n"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("master,≥ 200,25.0\r\n"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("total,≥ 800,100.0\r\n"), "a sum with a floor is a floor")
        let mixed = SessionHarness(model: model())
        mixed.run(["set format csv", "talent summary --year 2024 --by scope --mix-scopes"])
        XCTAssertTrue(mixed.stdout.contains("total,≥ 60800,100.0"), mixed.stdout)
    }

    func testRankingTiesShareARank() {
        var without = model()
        try! without.remove(GraduateCohort.self, id: "r24")
        let harness = SessionHarness(model: without)
        harness.run(["set format csv", "talent rank --by institution --year 2024", "talent rank --by institution --year 2024 --top 1"])
        XCTAssertTrue(harness.stdout.hasPrefix("rank,institution,graduates\r\n1,a,300\r\n1,c,300\r\n3,b,≥ 200\r\nrank,institution,graduates\r\n1,a,300\r\n1,c,300\r\n"), harness.stdout)
    }

    func testGrowthAndCAGR() {
        let harness = SessionHarness(model: model())
        harness.run(["set format csv", "talent growth --by institution --from 2023 --to 2024"])
        XCTAssertEqual(harness.stderr, "")
        XCTAssertTrue(harness.stdout.contains("a,2024,300,50.0,\r\n"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("a,CAGR 2023–2024,,50.0,\r\n"), harness.stdout)
    }

    func testSupplyDemandAgainstAHandComputedCase() {
        var model = model()
        try! model.remove(GraduateCohort.self, id: "r24")
        let harness = SessionHarness(model: model)
        harness.run(["set format csv", "talent supply-demand --sector cell-therapy", "talent map biomedicine medical-devices", "talent supply-demand --sector medical-devices"])
        XCTAssertEqual(harness.errors, [])
        // Latest biomedicine year 2024: 300 + ≥200 + 300 = ≥ 800 graduates; 3 enterprises, headcount 150, 1 without; ≥ 266.7 per enterprise.
        XCTAssertTrue(harness.stdout.contains("cell-therapy,biomedicine,≥ 800,2024,3,150,1,≥ 266.7\r\n"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("medical-devices,biomedicine,≥ 800,2024,1,10,0,≥ 800.0\r\n"), harness.stdout)
    }

    func testImportErrorsAreAllOrNothing() throws {
        let harness = SessionHarness(model: model())
        let path = harness.path("cohorts.csv")
        try "id,population,year,level,discipline,count,floor,definition,scope,source\nn1,a,2025,bachelor,biomedicine,10,no,d,graduates,s\nn2,a,2025,bachelor,biomedicine,-4,no,d,graduates,s\nn3,a,2025,postdoc,biomedicine,4,no,d,graduates,s\nn4,a,2025,硕士,biomedicine,\"3,100\",no,d,graduates,s\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let before = harness.session.model
        harness.run(["talent import \(path)"])
        XCTAssertEqual(harness.session.model, before)
        XCTAssertEqual(harness.errorLines, [
            "test.valley:1: error: \(path): 2 of 4 rows are bad; nothing was imported (--skip-bad imports the good rows)",
            "\(path):3: invalid count '-4': expected a whole number ≥ 0 (thousands separators allowed)",
            "\(path):4: invalid level 'postdoc': expected vocational, bachelor, master, doctoral or all (or 专科, 本科, 硕士, 博士)",
        ])
        harness.run(["talent import \(path) --skip-bad"])
        XCTAssertEqual(harness.session.model.cohorts.all.suffix(2).map(\.id), ["n1", "n4"])
        XCTAssertEqual(harness.session.model.cohorts.all.last?.count, 3100, "thousands separators")
        XCTAssertEqual(harness.session.model.cohorts.all.last?.level, .master, "硕士")
        XCTAssertTrue(harness.stdout.contains("4  invalid level 'postdoc'"), harness.stdout)
    }

    /// Issue 15: the talent SVG names institutions (it showed ids).
    func testChartSVGShowsInstitutionNames() throws {
        let harness = SessionHarness()
        let svg = harness.path("t.svg")
        harness.run(["talent cohort add t1 --population nju --year 2025 --level bachelor --discipline biology --count 100 --scope 'biomedicine graduates, Nanjing' --definition graduates --source seed-efec-2025",
                     "talent chart --year 2025 --svg \(svg)"])
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertTrue(text.contains(">Nanjing University"), text)
        XCTAssertFalse(text.contains(">nju<"), text)
        XCTAssertTrue(harness.stdout.contains("nju "), "the narrow terminal chart keeps the id")
    }

    func testChartAndInstitutionCommands() throws {
        var without = model()
        try! without.remove(GraduateCohort.self, id: "r24")
        let harness = SessionHarness(model: without)
        let svg = harness.path("chart.svg")
        harness.run([
            "talent chart --year 2024 --by institution --svg \(svg)",
            "talent institution add d --name 'Delta Lab' --kind platform --source s",
            "talent institutions --where \"kind = platform\" --format csv",
        ])
        XCTAssertEqual(harness.stderr, "")
        XCTAssertTrue(harness.stdout.contains("a  ████████████████████████████████████████ 300"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("b  ███████████████████████████ ≥ 200"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("d,Delta Lab,,platform,Nanjing,,s\r\n"), harness.stdout)
        let text = try fileText(svg)
        XCTAssertEqual(text.components(separatedBy: "class=\"bar\"").count - 1, 3)
    }
}
