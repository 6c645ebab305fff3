import CLibPQ

/// Statement parameters laid out the way `PQexecParams`/`PQexecPrepared` want them: one contiguous
/// byte buffer holding every value (text NUL-terminated), plus pointer, length, format and type arrays.
struct PostgresWireParameters {
    private var storage: [UInt8] = []
    private var offsets: [Int] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []
    private var types: [Oid] = []
    private var nulls: [Bool] = []

    init(_ binds: [any PostgresEncodable]) throws(PostgresError) {
        offsets.reserveCapacity(binds.count)
        for (i, bind) in binds.enumerated() {
            offsets.append(storage.count)
            switch bind.postgresBind {
            case .null:
                nulls.append(true)
                lengths.append(0)
                formats.append(0)
                types.append(0)
            case .text(let text):
                let start = storage.count
                storage.append(contentsOf: text.utf8)
                // A C string ends at the first NUL; PostgreSQL text cannot hold one either.
                if storage[start...].contains(0) {
                    throw .invalidParameter(index: i + 1, message: "text contains a NUL character")
                }
                storage.append(0)
                nulls.append(false)
                lengths.append(0)
                formats.append(0)
                types.append(0)  // unknown: the server infers the type from the statement
            case .bytea(let bytes):
                storage.append(contentsOf: bytes)
                nulls.append(false)
                lengths.append(Int32(bytes.count))
                formats.append(1)
                types.append(17)  // bytea, binary
            }
        }
    }

    /// Calls `body(count, values, lengths, formats, types)` with pointers valid for the call.
    mutating func withPointers<R>(
        _ body: (
            Int32, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?,
            UnsafePointer<Oid>?
        ) -> R
    ) -> R {
        let count = Int32(offsets.count)
        if storage.isEmpty { storage.append(0) }  // a valid base address even when every value is NULL
        return storage.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var pointers = [UnsafePointer<CChar>?]()
            pointers.reserveCapacity(offsets.count)
            for (i, offset) in offsets.enumerated() { pointers.append(nulls[i] ? nil : base + offset) }
            return pointers.withUnsafeBufferPointer { p in
                lengths.withUnsafeBufferPointer { l in
                    formats.withUnsafeBufferPointer { f in
                        types.withUnsafeBufferPointer { t in
                            body(count, p.baseAddress, l.baseAddress, f.baseAddress, t.baseAddress)
                        }
                    }
                }
            }
        }
    }
}
