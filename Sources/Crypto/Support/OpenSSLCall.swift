internal import COpenSSL

/// Helpers shared by every OpenSSL call site.
enum OpenSSLCall {
    /// The error for a failed `operation`, with OpenSSL's reason for it.
    ///
    /// Drains the thread-local error queue so a stale entry is never blamed on a later call.
    static func failure(_ operation: String) -> CryptoError {
        var reason = "unknown error"
        let code = ERR_get_error()
        if code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        ERR_clear_error()
        return .openSSL(operation: operation, reason: reason)
    }

    /// `value` as an OpenSSL `int` length, or an error naming `what` when it does not fit.
    static func int32(_ value: Int, _ what: String) throws(CryptoError) -> Int32 {
        guard let result = Int32(exactly: value), result >= 0 else {
            throw .invalidParameter("\(what) must be 0...\(Int32.max) bytes, got \(value)")
        }
        return result
    }
}

extension Array where Element == UInt8 {
    /// Calls `body` with a pointer that is never NULL, even for an empty array.
    ///
    /// Several OpenSSL functions read NULL as "not supplied" (HMAC with an empty key, for one) where we
    /// mean "zero bytes", and an empty Swift array may have no storage at all.
    func withNonNullBytes<R>(_ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress, !buffer.isEmpty {
                return body(base, buffer.count)
            }
            return withUnsafePointer(to: UInt8(0)) { body($0, 0) }
        }
    }

    /// As `withNonNullBytes`, typed as `char *` for the KDF functions that take passwords that way.
    func withNonNullChars<R>(_ body: (UnsafePointer<CChar>, Int) -> R) -> R {
        withNonNullBytes { pointer, count in
            UnsafeRawPointer(pointer).withMemoryRebound(to: CChar.self, capacity: Swift.max(count, 1)) {
                body($0, count)
            }
        }
    }
}
