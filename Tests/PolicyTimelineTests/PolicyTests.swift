import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import ValleyCore
import ValleyTestSupport
@testable import PolicyTimeline
@testable import ValleyShell

final class PolicyTests: XCTestCase {
    func testListFiltersAndAdd() {
        let harness = SessionHarness()
        harness.run([
            "set format csv",
            "policy list --where \"level = national and issued >= 2019\"",
            "policy list --measure 'technology transfer' --targets cell-therapy",
            "policy add test-plan --title 'Test plan' --issuer 'Test office' --level park --instrument pilot --issued 2022-05 --source seed-efec-2025 --target-sector cell-therapy",
            "policy list --from 2022 --to 2022",
            "policy add bad --title T --issuer I --level park --instrument pilot --issued 2022-13 --source seed-efec-2025",
            "policy add bad --title T --issuer I --level county --instrument pilot --issued 2022 --source seed-efec-2025",
        ])
        let out = harness.stdout
        XCTAssertTrue(out.contains("2019-08,jiangsu-ftz-nanjing-area,"), out)
        XCTAssertTrue(out.contains("2025-08,jiangsu-ftz-biomed-whole-chain-2025,"), out)
        XCTAssertFalse(out.contains("2015-06,jiangbei-national-new-area"), "issued before 2019")
        XCTAssertTrue(out.contains("2020,nanjing-biomed-five-year-plan-2020,"), "measure and sector both match")
        XCTAssertTrue(out.contains("2022-05,test-plan,Test plan,park,pilot,0"), out)
        XCTAssertEqual(harness.errors.count, 2, harness.stderr)
        XCTAssertTrue(harness.errors[0].contains("invalid --issued '2022-13'"))
        XCTAssertTrue(harness.errors[1].contains("county"))
    }

    /// Issue 12: values the commands accepted, then trapped on (SIGILL).
    func testBoundaryValuesGiveAnErrorOrAnAnswerNeverATrap() {
        let harness = SessionHarness()
        let before = harness.session.model
        harness.run([
            "policy impact nanjing-biomed-five-year-plan-2020 --indicator nanjing-biomed-revenue --window 9223372036854775807",
            "indicator observe nanjing-biomed-revenue --period 2019 --value=-1e308 --source seed-chinaorg-2025",
        ])
        XCTAssertEqual(harness.errorLines, [
            "test.valley:1: error: invalid --window '9223372036854775807': expected a number of years from 1 to 9999",
            "test.valley:2: error: invalid value '-1e+308': expected a finite number of magnitude at most 1e15",
        ])
        XCTAssertEqual(harness.session.model, before, "refused commands change nothing")

        // A series whose largest value is tiny and whose smallest is huge and negative: the
        // chart's ratio overflows to -inf, which used to reach Int() and trap.
        let chart = SessionHarness()
        chart.run([
            "indicator add tiny --name Tiny --unit u --definition d --scope s --region Nanjing",
            "indicator observe tiny --period 2019 --value=-1e15 --source seed-chinaorg-2025",
            "indicator observe tiny --period 2020 --value=1e-300 --source seed-chinaorg-2025",
            "policy timeline --indicator tiny",
        ])
        XCTAssertEqual(chart.stderr, "")
        XCTAssertTrue(chart.stdout.contains("▁▁▁"), "the lowest block for the negative value: \(chart.stdout)")
    }

    func testGrowthAndCAGRArithmetic() {
        var model = ClusterModel()
        try! model.insert(contentsOf: [Source(id: "s", title: "t", publisher: "p", reliability: .primary)] as [Source])
        try! model.insert(contentsOf: [Indicator(id: "x", name: "output", unit: "bn", definition: "d", scope: "a", region: "r", observations: [
            Observation(period: CalendarDate(year: 2020), value: 100, source: "s"),
            Observation(period: CalendarDate(year: 2021), value: 110, source: "s"),
            Observation(period: CalendarDate(year: 2023), value: 133.1, source: "s"),
            Observation(period: CalendarDate(year: 2024), value: 150, isFloor: true, source: "s"),
        ])] as [Indicator])
        let harness = SessionHarness(model: model)
        harness.run(["set format csv", "indicator series x --growth"])
        XCTAssertEqual(harness.errors, [])
        // 100 → 110: 10 %; 110 → 133.1 over two years: 1.21^(1/2) − 1 = 10 %; 133.1 → ≥ 150: ≥ 12.7 %.
        XCTAssertTrue(harness.stdout.contains("2021,110,bn,a,s,10.0,\r\n"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("2023,133.10,bn,a,s,10.0,annualised over 2 years\r\n"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("2024,≥ 150,bn,a,s,≥ 12.7,\r\n"), harness.stdout)
        // CAGR 2020–2024: 1.5^(1/4) − 1 = 10.7 %, a floor at the end makes it a lower bound.
        XCTAssertTrue(harness.messages.contains("CAGR 2020–2024: ≥ 10.7 % a year"), harness.stderr)
    }

    func testScopeRefusalAndMixScopes() {
        let harness = SessionHarness()
        harness.run([
            "indicator add life-health-revenue --name 'new medicine and life health revenue' --unit 'CNY bn' --definition 'revenue' --scope 'new medicine and life health' --region Nanjing",
            "indicator observe life-health-revenue --period 2020 --value 265 --source valley-domain-notes",
            "indicator series nanjing-biomed-revenue",
            "indicator series revenue --growth",
        ])
        XCTAssertEqual(harness.errorLines.count, 1, harness.stderr)
        XCTAssertTrue(harness.errorLines[0].contains("matches indicators of different scopes (biomedicine; new medicine and life health)"), harness.errorLines[0])
        let mixed = SessionHarness()
        mixed.run([
            "indicator add life-health-revenue --name 'life health revenue' --unit 'CNY bn' --definition d --scope 'new medicine and life health' --region Nanjing",
            "indicator observe life-health-revenue --period 2020 --value 265 --source valley-domain-notes",
            "indicator series nanjing-biomed-revenue --growth",
            "set format csv",
            "indicator series 'revenue' --growth --mix-scopes",
        ])
        XCTAssertTrue(mixed.stderr.contains("different units"), "revenue growth (%) matches too: refused for its unit")
        let both = SessionHarness()
        both.run([
            "indicator add a1 --name 'output a' --unit bn --definition d --scope one --region r",
            "indicator add a2 --name 'output b' --unit bn --definition d --scope two --region r",
            "indicator observe a1 --period 2020 --value 10 --source valley-domain-notes",
            "indicator observe a2 --period 2021 --value 11 --source valley-domain-notes",
            "set format csv",
            "indicator series output --growth --mix-scopes",
        ])
        XCTAssertEqual(both.errors, [])
        XCTAssertTrue(both.stdout.contains("2021,11,bn,two,valley-domain-notes,10.0,scope changes: one → two"), both.stdout)
    }

    func testImpactWindowsAtTheEdgesOfTheData() {
        let harness = SessionHarness()
        harness.run([
            "set format csv",
            "policy impact jiangbei-national-new-area --indicator nanjing-biomed-revenue --window 1",
            "policy impact jiangsu-ftz-biomed-whole-chain-2025 --indicator nanjing-biomed-revenue --window 2",
            "policy impact nanjing-biomed-five-year-plan-2020 --indicator nanjing-biomed-revenue --window 0",
        ])
        let out = harness.stdout
        XCTAssertTrue(out.contains("before (pre-trend),2014–2014,0,,,,,,needs 2 observations"), out)
        XCTAssertTrue(out.contains("after,2016–2016,1,49.50,2016,49.50,2016,,needs 2 observations"), out)
        XCTAssertTrue(harness.messages.contains("No observations before 2015 in the window"), harness.stderr)
        XCTAssertTrue(out.contains("before (pre-trend),2023–2024,2,≥ 200,2023,≥ 210,2024,n/a (both floors),"), out)
        XCTAssertTrue(harness.messages.contains("No observations after 2025 in the window."), harness.stderr)
        XCTAssertTrue(harness.messages.contains("Descriptive comparison, not a causal estimate"))
        XCTAssertEqual(harness.errors.count, 1)
        XCTAssertTrue(harness.errors[0].contains("invalid --window '0'"))
    }

    func testTargetsMeetTheRegistryThroughTheModel() {
        let harness = SessionHarness()
        harness.run([
            "registry add acme --name Acme --sector gene-therapy --source seed-efec-2025",
            "set format csv",
            "policy targets nanjing-biomed-five-year-plan-2020",
        ])
        XCTAssertTrue(harness.stdout.contains("acme,Acme,sector gene-therapy\r\n"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("geneseeq,Geneseeq,\"sector gene-therapy, cell-therapy\"\r\n"), harness.stdout)
        XCTAssertFalse(harness.stdout.contains("simcere"))
    }

    func testSourcesOfAnyRecord() {
        let harness = SessionHarness()
        harness.run(["set format csv", "sources fucaso-approved", "sources nanjing-biomed-revenue", "sources nothing-here"])
        XCTAssertTrue(harness.stdout.contains("event,iasobio-site,IASO Bio news: Fucaso approved by NMPA,IASO Bio,en.iasobio.com,2023-06-30,primary"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains("observation 2023,chinaorg-mirror-2023,"), harness.stdout)
        XCTAssertTrue(harness.stdout.contains(",mirror\r\n"))
        XCTAssertEqual(harness.errorLines.count, 1)
    }

    func testTimelineTextAndWellFormedSVGWithOneMarkPerPolicy() throws {
        let harness = SessionHarness()
        let svg = harness.path("timeline.svg")
        harness.run(["policy timeline --from 2018 --to 2021 --indicator nanjing-biomed-revenue --svg \(svg)"])
        XCTAssertEqual(harness.stderr, "")
        let all = defaultModel().policies.sorted { $0.issued < $1.issued }
        let inRange = all.filter { (2018...2021).contains($0.issued.year) }
        XCTAssertEqual(inRange.count, 5)
        // Issue 15: keys number the whole timeline, so a policy keeps its key whatever the range.
        for (index, policy) in all.enumerated() {
            XCTAssertEqual(harness.stdout.contains("◆P\(index + 1)  \(policy.issued)  \(policy.title)"), inRange.contains(policy), "P\(index + 1)")
        }
        let whole = SessionHarness()
        whole.run(["policy timeline"])
        for line in harness.stdout.split(separator: "\n") where line.hasPrefix("◆P") || line.hasPrefix("●E") {
            XCTAssertTrue(whole.stdout.contains(line), "the same key and label without --from: \(line)")
        }
        // The indicator's whole name is shown (it was cut to "Nanjing b").
        XCTAssertTrue(harness.stdout.contains("Nanjing biomedicine revenue (CNY bn)\n"), harness.stdout)
        // The SVG is wide enough for its longest legend line, and the series has a y-axis.
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        let width = try XCTUnwrap(text.range(of: #"width="([0-9.]+)""#, options: .regularExpression).map { Double(text[$0].dropFirst(7).dropLast()) ?? 0 })
        let longest = harness.stdout.split(separator: "\n").filter { $0.hasPrefix("◆P") || $0.hasPrefix("●E") }.map { TimelineChart.textWidth(String($0.dropFirst()), size: 11) }.max() ?? 0
        XCTAssertGreaterThanOrEqual(width, 10 + longest)
        XCTAssertTrue(text.contains(#"class="y-axis""#))
        XCTAssertEqual(text.components(separatedBy: #"class="y-label""#).count - 1, 3)

        final class Counter: NSObject, XMLParserDelegate {
            var policies = 0
            var events = 0
            func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if attributes["class"] == "policy" { policies += 1 }
                if attributes["class"] == "event" { events += 1 }
            }
        }
        let parser = try XCTUnwrap(XMLParser(contentsOf: URL(fileURLWithPath: svg)))
        let counter = Counter()
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "the SVG is well-formed XML: \(String(describing: parser.parserError))")
        XCTAssertEqual(counter.policies, inRange.count)
        XCTAssertEqual(counter.events, defaultModel().events.filter { (2018...2021).contains($0.date.year) }.count)
    }
}
