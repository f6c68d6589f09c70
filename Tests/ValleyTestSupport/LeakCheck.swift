/// Turns LeakSanitizer's exit-time check off for the test process only.
///
/// CI runs the suite under AddressSanitizer with `detect_leaks=1`. The `valley` processes the
/// end-to-end tests start inherit that and are checked (a leak fails their exit status). The
/// test process itself is not: XCTest (swift-corelibs-xctest, Swift 6.3) keeps every test case
/// alive through a weak-reference side table it never frees, so LeakSanitizer would report
/// everything a test holds. `Tests/lsan-suppressions.txt` lists what the triage found.
@_cdecl("__lsan_is_turned_off")
public func leakCheckIsTurnedOffForTheTestProcess() -> Int32 { 1 }
