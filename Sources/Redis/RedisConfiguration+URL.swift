extension RedisConfiguration {
    /// Parses `redis://[[user]:password@]host[:port][/db]`; other settings keep their defaults.
    ///
    /// User and password may be percent-encoded (`%40` for `@`). `rediss://` is refused: Debian's
    /// hiredis 0.14 has no TLS, and silently talking plain text to a TLS endpoint would be worse.
    /// Errors name what is wrong but never echo the URL, which may hold the password.
    public init(url: String) throws(RedisError) {
        self.init()
        let scheme = "redis://"
        guard url.hasPrefix(scheme) else {
            if url.hasPrefix("rediss://") {
                throw .configuration(
                    "rediss:// (TLS) is not supported by hiredis 0.14; use redis:// on a private network")
            }
            throw .configuration("the URL must start with redis://")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        guard !rest.contains("?") && !rest.contains("#") else {
            throw .configuration("query parameters and fragments are not supported in the URL")
        }

        // The last '@' ends the credentials: an unencoded '@' in a password still parses.
        if let at = rest.lastIndex(of: "@") {
            try parseCredentials(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }

        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty {
                guard let db = Self.parseDecimal(path, max: Int(Int32.max)) else {
                    throw .configuration("the database (URL path) must be a non-negative integer")
                }
                database = db
            }
        }
        try parseHostAndPort(authority)
    }

    private mutating func parseCredentials(_ credentials: Substring) throws(RedisError) {
        guard let colon = credentials.firstIndex(of: ":") else {
            throw .configuration("credentials need a password: redis://:password@host or redis://user:password@host")
        }
        let user = try Self.percentDecode(credentials[..<colon], field: "user name")
        let secret = try Self.percentDecode(credentials[credentials.index(after: colon)...], field: "password")
        guard !secret.isEmpty else { throw .configuration("the password in the URL is empty") }
        username = user.isEmpty ? nil : user
        password = secret
    }

    private mutating func parseHostAndPort(_ authority: Substring) throws(RedisError) {
        var hostPart = authority
        var portPart: Substring?
        if authority.hasPrefix("[") {
            // IPv6 literal: [::1]:6379
            guard let close = authority.firstIndex(of: "]") else {
                throw .configuration("unterminated IPv6 address in the URL")
            }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .configuration("unexpected text after the IPv6 address") }
                portPart = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw .configuration("the URL has no host") }
        host = String(hostPart)
        if let portPart {
            guard let value = Self.parseDecimal(portPart, max: 65535), value > 0 else {
                throw .configuration("the port must be an integer from 1 to 65535")
            }
            port = value
        }
    }

    /// Digits only (no sign, no spaces), at most `max`.
    private static func parseDecimal(_ text: Substring, max: Int) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 10 else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value <= max ? value : nil
    }

    private static func percentDecode(_ text: Substring, field: String) throws(RedisError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw .configuration("bad percent-encoding in the \(field)")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .configuration("the \(field) is not valid UTF-8 after percent-decoding")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
