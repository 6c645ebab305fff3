/// Collects the search keys of each place while the TSV is parsed, then sorts them once.
struct GazetteerIndexBuilder {
    private var keyBytes: [UInt8] = []
    private var entries: [GazetteerIndex.Entry] = []
    /// Key ranges of the place being added, to skip names that fold to the same key.
    private var placeKeys: [Range<Int>] = []

    init(expectedPlaces: Int) {
        keyBytes.reserveCapacity(expectedPlaces * 48)
        entries.reserveCapacity(expectedPlaces * 6)
    }

    /// Adds the name, ASCII name and comma-separated alternate names of place number `place`.
    mutating func add(place: Int, record: GazetteerTSVRecord, in bytes: UnsafeBufferPointer<UInt8>) {
        placeKeys.removeAll(keepingCapacity: true)
        addName(place, bytes, record.name, isAlternate: false)
        addName(place, bytes, record.asciiName, isAlternate: false)
        var nameStart = record.alternateNames.lowerBound
        for index in record.alternateNames where bytes[index] == UInt8(ascii: ",") {
            addName(place, bytes, nameStart..<index, isAlternate: true)
            nameStart = index + 1
        }
        addName(place, bytes, nameStart..<record.alternateNames.upperBound, isAlternate: true)
    }

    func build() -> GazetteerIndex {
        GazetteerIndex(keyBytes: keyBytes, entries: entries)
    }

    /// Names are added name first, so an alternate that folds like the name counts as the name.
    private mutating func addName(
        _ place: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, isAlternate: Bool
    ) {
        guard !range.isEmpty else { return }
        let keyStart = keyBytes.count
        SearchKeyFolding.appendKey(of: UnsafeBufferPointer(rebasing: bytes[range]), to: &keyBytes)
        let keyEnd = keyBytes.count
        // UInt32 offsets: the arena of ~150 000 short names is a few MB, far below 4 GiB.
        guard keyEnd > keyStart, keyEnd <= Int(UInt32.max) else {
            keyBytes.removeSubrange(keyStart...)
            return
        }
        let isDuplicate = placeKeys.contains { existing in
            existing.count == keyEnd - keyStart && keyBytes[existing].elementsEqual(keyBytes[keyStart..<keyEnd])
        }
        if isDuplicate {
            keyBytes.removeSubrange(keyStart...)
            return
        }
        placeKeys.append(keyStart..<keyEnd)
        keyBytes.withUnsafeBufferPointer { arena in
            for wordStart in keyStart..<keyEnd {
                guard wordStart == keyStart || arena[wordStart - 1] == UInt8(ascii: " ") else { continue }
                entries.append(
                    GazetteerIndex.Entry(
                        head: GazetteerIndex.head(arena, wordStart..<keyEnd),
                        start: UInt32(wordStart),
                        length: UInt32(keyEnd - wordStart),
                        place: UInt32(place),
                        isWholeKey: wordStart == keyStart,
                        isAlternate: isAlternate))
            }
        }
    }
}
