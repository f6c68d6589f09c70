import ValleyCore

/// The sector lists and the boxes of park, designations and sources that an import's updates
/// make alike, shared by the updated records of one run of neighbouring slots.
///
/// An update (`Enterprise.absorb`) that adds a sector, a designation or a source makes the
/// record new lists and a new box, equal to many other updates' (at a million rows, 103,000
/// updates made 8 MB of them). Shared only within a run of `EnterpriseTable.RowReader.sharingRun`
/// slots, as the reader shares values: a list that records all over the table held would have
/// its reference count written by both cores of a scan at once.
struct UpdateSharing {
    private struct SharedKey: Hashable {
        var run: Int
        var park: String?
        var designations: [Designation]
        var sources: [String]
    }

    private struct SectorsKey: Hashable {
        var run: Int
        var sectors: [String]
    }

    private var sectorLists: [SectorsKey: [String]] = [:]
    private var sharedFields: [SharedKey: Enterprise] = [:]
    /// Values kept at most, each kind, over the whole import (runs included): enough for the
    /// few hundred distinct merges a run of a registry makes, and a bound for a file whose
    /// merges are all different (later merges are then not shared).
    static let limit = 16_384

    /// Gives `record`, updated at `slot`, the lists and box of an earlier update of its run
    /// that made the same values.
    /// - Complexity: O(length of its lists), a hash and a comparison.
    mutating func share(_ record: inout Enterprise, slot: Int) {
        let run = slot / EnterpriseTable.RowReader.sharingRun
        let sectorsKey = SectorsKey(run: run, sectors: record.sectors)
        if let same = sectorLists[sectorsKey] {
            record.sectors = same
        } else if sectorLists.count < Self.limit {
            sectorLists[sectorsKey] = record.sectors
        }
        let sharedKey = SharedKey(run: run, park: record.park, designations: record.designations, sources: record.sources)
        if let template = sharedFields[sharedKey] {
            record.shareFields(of: template)
        } else if sharedFields.count < Self.limit {
            sharedFields[sharedKey] = record
        }
    }
}
