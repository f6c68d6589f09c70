import Foundation
import ValleyCore
#if canImport(Glibc)
import Glibc
#endif

/// A deterministic synthetic registry: English and Chinese names, quoted fields with commas
/// and line breaks, valid credit codes, sectors and designations. The same seed always
/// gives the same bytes.
struct RegistryGenerator {
    /// SplitMix64: small, fast and fully determined by its seed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let english = ["Jiang", "Ning", "Bei", "Hua", "Kang", "Tai", "Sheng", "Xin", "Ji", "Yao", "Rui", "Heng", "Yuan", "De", "An",
                          "Lu", "Zhong", "Tian", "Ming", "Bo"]
    static let kinds = ["Bio", "Pharma", "Therapeutics", "Medical", "Gene", "Cell", "Diagnostics", "Devices", "Biologics", "Life Sciences"]
    static let forms = ["", "", " Co., Ltd.", " Inc.", " (Nanjing) Co., Ltd."]
    static let chinese = Array("江宁北华康泰生新吉药医科技源德安瑞恒中天明博")
    static let chineseKinds = ["生物", "医药", "科技", "基因", "细胞", "医疗", "制药"]
    static let sectors = ["cell-therapy", "gene-therapy", "innovative-drugs", "medical-devices", "cro-cdmo", "pharmaceuticals", "diagnostics", "biologics"]
    static let parks = ["NJBPV", "NJBPV", "NJBPV", "Jiangning Biomedical Park", "Nanjing Life Sciences Town"]
    static let codeCharacters = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    var random: Random

    init(seed: UInt64) { random = Random(state: seed) }

    /// One CSV row (with its line end) for enterprise number `index`.
    mutating func row(_ index: Int) -> String {
        let name = random.pick(Self.english) + random.pick(Self.english).lowercased() + " " + random.pick(Self.kinds) + random.pick(Self.forms)
        var chineseName = ""
        for _ in 0..<(2 + random.below(2)) { chineseName.append(random.pick(Self.chinese)) }
        chineseName += random.pick(Self.chineseKinds)
        var code = ""
        if random.below(3) > 0 {
            var first17 = "91320"
            for _ in 0..<12 { first17.append(random.pick(Self.codeCharacters)) }
            code = CreditCode.withCheckCharacter(first17) ?? ""
        }
        let founded = 1990 + random.below(36)
        let month = 1 + random.below(12)
        let sector = random.pick(Self.sectors) + (random.below(5) == 0 ? ";" + random.pick(Self.sectors) : "")
        let designation = random.below(10) < 3 ? "high-tech enterprise||\(2019 + random.below(6))||" : (random.below(40) == 0 ? "little giant|national|||" : "")
        let note = random.below(20) == 0 ? "\"synthetic row, \"\"quoted\"\"\nsecond line\"" : ""
        let fields = [
            "s\(index)", CSVWriter.field(name), chineseName, code, "\(founded)-\(month < 10 ? "0" : "")\(month)", "active", sector,
            random.pick(Self.parks), designation, String(5 + random.below(2000)), note,
        ]
        return fields.joined(separator: ",") + "\n"
    }

    static let header = "id,name,name_zh,credit_code,founded,status,sectors,park,designations,headcount,note\n"

    /// Writes `rows` rows to `path`.
    /// Writes the header and `rows` rows, streamed a megabyte at a time: the whole file in
    /// memory (and its bytes copied once more) raised the bench's own peak to ~250 MB, and the
    /// peak of a process it spawns after counts the spawner's (see `measured`).
    mutating func write(rows: Int, to path: String) throws {
        try FileIO.writeAtomically(to: path) { append in
            var text = Self.header
            for index in 0..<rows {
                text += row(index)
                if text.utf8.count >= 1 << 20 {
                    try append(Array(text.utf8))
                    text = ""
                }
            }
            try append(Array(text.utf8))
        }
    }
}

/// A scratch directory for the bench `name` holding the synthetic registry of `rows` rows at
/// `registry.csv` (seed 2011: the same file in every bench). The caller removes the directory.
func syntheticRegistry(bench name: String, rows: Int) throws -> (directory: String, csv: String) {
    let directory = NSTemporaryDirectory() + "valley-\(name)-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let csv = directory + "/registry.csv"
    var generator = RegistryGenerator(seed: 2011)
    try generator.write(rows: rows, to: csv)
    return (directory, csv)
}
