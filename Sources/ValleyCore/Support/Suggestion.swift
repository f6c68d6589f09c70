/// "Did you mean": the known names closest to an unknown one, for commands, options, fields
/// and record names alike.
public enum Suggestion {
    /// Up to `limit` candidates close to `word`, best first: those equal to it when case,
    /// spaces, `-` and `_` are ignored; then those that start with it or contain it (`iaso` →
    /// `IASO Bio`); then those within a small edit distance (`cell-theraphy` → `cell-therapy`).
    /// - Complexity: O(n·k²) for n candidates of length about k; candidates whose length
    ///   differs by more than the allowed distance are skipped without computing it.
    public static func closest(to word: String, among candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        let wanted = Array(folded(word))
        guard !wanted.isEmpty else { return [] }
        let allowed = max(2, wanted.count / 3)
        var scored: [(score: Int, candidate: String)] = []
        var seen = Set<String>()
        for candidate in candidates where seen.insert(candidate).inserted {
            let folded = Array(folded(candidate))
            let score: Int
            if folded == wanted {
                score = 0
            } else if folded.starts(with: wanted) {
                score = 1
            } else if wanted.count >= 3, contains(folded, wanted) {
                score = 2
            } else if abs(folded.count - wanted.count) <= allowed {
                let distance = editDistance(wanted, folded, limit: allowed)
                guard distance <= allowed else { continue }
                score = 2 + distance
            } else {
                continue
            }
            scored.append((score, candidate))
        }
        return scored.sorted { ($0.score, $0.candidate.count, $0.candidate) < ($1.score, $1.candidate.count, $1.candidate) }
            .prefix(limit).map(\.candidate)
    }

    /// " (did you mean 'a' or 'b'?)", or "" when there is nothing to suggest; a suggestion
    /// that starts with a quote is taken as already quoted.
    public static func hint(_ suggestions: [String]) -> String {
        guard !suggestions.isEmpty else { return "" }
        let quoted = suggestions.map { $0.hasPrefix("'") ? $0 : "'\($0)'" }
        let list = quoted.count == 1 ? quoted[0] : quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
        return " (did you mean \(list)?)"
    }

    /// Lower case, with spaces, `-` and `_` removed: `Cell Therapy` and `cell-therapy` fold alike.
    static func folded(_ text: String) -> [Character] {
        text.lowercased().filter { $0 != " " && $0 != "-" && $0 != "_" }.map { $0 }
    }

    private static func contains(_ text: [Character], _ part: [Character]) -> Bool {
        guard part.count <= text.count else { return false }
        for start in 0...(text.count - part.count) where text[start..<(start + part.count)].elementsEqual(part) { return true }
        return false
    }

    /// Levenshtein distance, stopping once every path exceeds `limit` (then some value > limit).
    public static func editDistance(_ a: [Character], _ b: [Character], limit: Int = .max) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return rowMinimum }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
