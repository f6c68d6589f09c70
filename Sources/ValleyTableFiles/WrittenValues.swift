import ValleyCore

/// Values as people write them in spreadsheets and registry exports: dates in their common
/// forms, numbers with thousands separators, money with its unit and currency.
public enum WrittenValues {
    // MARK: - Dates

    /// Reads a date written as `2019-03-01`, `2019-3-1`, `2019/3/1`, `2019.3.1`, `2019年3月1日`,
    /// `20190301`, an Excel serial day (`43525`), a year or year and month of those forms,
    /// or, with `order`, `01/03/2019`-like day-month orders. A time after the date is ignored.
    /// A day-month date whose order the digits do not settle is refused, never guessed.
    public static func date(_ raw: String, field: String, order: DateOrder?) throws -> CalendarDate {
        if let iso = CalendarDate(raw) { return iso }
        var text = raw.trimmingSpaces
        // Drop a time: "2019-03-01 00:00:00", "2019-03-01T08:00".
        if let space = text.firstIndex(where: { $0 == " " || $0 == "T" }), text[space...].contains(":") { text = String(text[..<space]) }
        func invalid(_ why: String = "a date such as 2019-03-01, 2019/3/1, 2019年3月1日 or 20190301") -> ValleyError {
            .invalidValue(field: field, value: raw, expected: why)
        }
        // All digits: YYYYMMDD, YYYYMM, YYYY, or an Excel serial day.
        // (A decimal is an Excel serial with a time: five digits before the point.)
        let serialWithTime = text.filter { $0 == "." }.count == 1 && text.allSatisfy { $0.isASCIIDigit || $0 == "." } && text.split(separator: ".", omittingEmptySubsequences: false)[0].count == 5
        if !text.isEmpty, text.allSatisfy(\.isASCIIDigit) || serialWithTime {
            let digits = text.split(separator: ".", omittingEmptySubsequences: false)[0]
            switch digits.count {
            case 8:
                guard let date = CalendarDate("\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.suffix(2))") else { throw invalid() }
                return date
            case 6 where text.count == 6:
                guard let date = CalendarDate("\(digits.prefix(4))-\(digits.suffix(2))") else { throw invalid() }
                return date
            case 4 where text.count == 4:
                guard let date = CalendarDate(String(digits)) else { throw invalid() }
                return date
            case 5:
                // Excel's serial day (1900 date system): 20000–80000 is 1954–2119.
                guard let serial = Int(digits), (20_000...80_000).contains(serial), let iso = XLSXReader.excelDate(serial: Double(serial), date1904: false),
                      let date = CalendarDate(iso) else { throw invalid() }
                return date
            default: throw invalid()
            }
        }
        // Split on separators: - / . 年 月 日 and spaces.
        var parts: [Int] = []
        var widths: [Int] = []
        var current = ""
        var sawChinese = false
        for character in text {
            if character.isASCIIDigit {
                current.append(character)
            } else if "-/. 年月日".contains(character) {
                if "年月日".contains(character) { sawChinese = true }
                if !current.isEmpty { parts.append(Int(current) ?? -1); widths.append(current.count); current = "" }
            } else {
                throw invalid()
            }
        }
        if !current.isEmpty { parts.append(Int(current) ?? -1); widths.append(current.count) }
        guard (2...3).contains(parts.count), !parts.contains(-1) else { throw invalid() }
        func make(year: Int, month: Int, day: Int?) throws -> CalendarDate {
            guard (1...12).contains(month), (1000...9999).contains(year) else { throw invalid() }
            if let day { guard day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { throw invalid() } }
            return CalendarDate(year: year, month: month, day: day)
        }
        if widths[0] == 4 {
            return try make(year: parts[0], month: parts[1], day: parts.count == 3 ? parts[2] : nil)
        }
        guard !sawChinese, parts.count == 3, widths[2] == 4, widths[0] <= 2, widths[1] <= 2 else { throw invalid() }
        let (first, second, year) = (parts[0], parts[1], parts[2])
        switch order {
        case .dmy: return try make(year: year, month: second, day: first)
        case .mdy: return try make(year: year, month: first, day: second)
        case nil:
            if first == second { return try make(year: year, month: first, day: first) }
            if first > 12, second <= 12 { return try make(year: year, month: second, day: first) }
            if second > 12, first <= 12 { return try make(year: year, month: first, day: second) }
            throw invalid("a date whose day and month order is known; '\(raw)' could be either, give --date-order dmy or mdy")
        }
    }

    // MARK: - Numbers

    /// A whole number that may have thousands separators (`3,100`, `3 100`, `3，100`) or a
    /// `.0` an Excel cell adds; nil for anything else.
    public static func integer(_ raw: String) -> Int? {
        if let plain = Int(raw) { return plain }
        guard var text = ungrouped(raw) else { return nil }
        if text.hasSuffix(".0") { text.removeLast(2) }
        return Int(text)
    }

    /// A decimal number that may have thousands separators; nil for anything else.
    public static func number(_ raw: String) -> Double? {
        if let plain = Double(raw), plain.isFinite { return plain }
        guard let text = ungrouped(raw), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// The number without thousands separators, when they group digits by threes (`3,100`,
    /// `1 234 567`, `3'100`); nil otherwise: `12,5` is a decimal comma, never read as 125.
    static func ungrouped(_ raw: String) -> String? {
        let text = raw.trimmingSpaces
        let separators: Set<Character> = [",", "，", " ", "\u{00A0}", "'"]
        guard text.contains(where: separators.contains) else { return text }
        let integerPart = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let groups = integerPart.split(whereSeparator: separators.contains).map(String.init)
        let sign = groups.first?.first == "-" ? 1 : 0
        guard let first = groups.first, (1 + sign...3 + sign).contains(first.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        return String(text.filter { !separators.contains($0) })
    }

    // MARK: - Money

    /// Currency words of Chinese registry exports and their ISO codes (元 and 人民币 are CNY).
    static let currencies: [(word: String, code: String)] = [
        ("元人民币", "CNY"), ("人民币元", "CNY"), ("人民币", "CNY"), ("美元", "USD"), ("港元", "HKD"), ("港币", "HKD"), ("欧元", "EUR"),
        ("日元", "JPY"), ("英镑", "GBP"), ("元", "CNY"), ("rmb", "CNY"), ("cny", "CNY"), ("usd", "USD"), ("hkd", "HKD"), ("eur", "EUR"),
        ("jpy", "JPY"), ("gbp", "GBP"),
    ]

    /// Reads `1,000万元人民币`, `500万美元`, `185000万`, `1.2亿元`, `3000000`, `CNY 5,000,000`:
    /// the amount as written, the unit (万 or 亿), the currency (CNY unless another is named).
    public static func money(_ raw: String, field: String, headerUnit: String? = nil) throws -> Money {
        var rest = Substring(raw.trimmingSpaces.lowercased())
        func invalid() -> ValleyError {
            .invalidValue(field: field, value: raw, expected: "an amount such as 1,000万元人民币, 500万美元 or 3000000")
        }
        var currency: String?
        // A currency code or word may also come first ("CNY 5,000,000", "人民币1000万元").
        for (word, code) in currencies where rest.hasPrefix(word) {
            currency = code
            rest = rest.dropFirst(word.count)
            break
        }
        rest = Substring(String(rest).trimmingSpaces)
        var numberText = ""
        while let first = rest.first, first.isASCIIDigit || first == "." || first == "," || first == "，" || first == "-" {
            numberText.append(first == "，" ? "," : first)
            rest = rest.dropFirst()
        }
        guard let amount = number(numberText), amount >= 0 else { throw invalid() }
        rest = Substring(String(rest).trimmingSpaces)
        var unit: String?
        if rest.hasPrefix("万") { unit = "万"; rest = rest.dropFirst() } else if rest.hasPrefix("亿") { unit = "亿"; rest = rest.dropFirst() }
        rest = Substring(String(rest).trimmingSpaces.filter { $0 != "(" && $0 != ")" && $0 != "（" && $0 != "）" })
        if rest.hasSuffix("整") { rest = rest.dropLast() }  // 1000万元整: "exactly"
        if !rest.isEmpty {
            guard let match = currencies.first(where: { rest == $0.word }) else { throw invalid() }
            currency = match.code
        }
        // A unit in the column's header (`注册资本(万元)`, `Capital (USD)`) applies to bare numbers.
        if let headerUnit = headerUnit?.lowercased(), !headerUnit.isEmpty {
            var headerRest = Substring(headerUnit)
            if unit == nil, headerRest.hasPrefix("万") { unit = "万"; headerRest = headerRest.dropFirst() }
            else if unit == nil, headerRest.hasPrefix("亿") { unit = "亿"; headerRest = headerRest.dropFirst() }
            else if headerRest.hasPrefix("万") || headerRest.hasPrefix("亿") { headerRest = headerRest.dropFirst() }
            if currency == nil, let match = currencies.first(where: { headerRest == $0.word }) { currency = match.code }
        }
        let money = Money(amount: amount, unit: unit, currency: currency ?? "CNY", text: raw.trimmingSpaces + (headerUnit.map { unit == nil || raw.contains("万") || raw.contains("亿") ? "" : " (\($0))" } ?? ""))
        guard money.value.isFinite else { throw invalid() }
        return money
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
}
