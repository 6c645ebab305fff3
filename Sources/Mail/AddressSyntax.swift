/// Validation and rendering of addresses, strict on purpose.
///
/// Only `dot-atom@domain` addresses in ASCII are accepted (no quoted local parts, no comments, no
/// SMTPUTF8; internationalised domains must be given in their `xn--` form). That covers every address
/// the product sends to, and it makes header and SMTP command injection impossible by construction.
enum AddressSyntax {
    /// RFC 5321 §4.5.3.1: 64 octets of local part, 254 of path without the angle brackets.
    static let maximumLocalPart = 64
    static let maximumAddress = 254

    /// Throws `invalidMessage` naming `field` unless `address` is a plain `local@domain`.
    static func validate(_ address: String, field: String) throws(MailError) {
        if address.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) {
            throw .invalidMessage("\(field) contains CR or LF")
        }
        let bytes = Array(address.utf8)
        guard bytes.count <= maximumAddress, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else {
            throw .invalidMessage("\(field) is not an address of the form local@domain")
        }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard local.count <= maximumLocalPart, isDotAtom(local) else {
            throw .invalidMessage("\(field) has an invalid local part")
        }
        guard isDomain(domain) else { throw .invalidMessage("\(field) has an invalid domain") }
    }

    /// The part after "@", for Message-ID. Only call on validated addresses.
    static func domain(of address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return "localhost" }
        return String(address[address.index(after: at)...])
    }

    /// `Name <local@domain>` with the name as atoms, a quoted string or encoded words, or the bare
    /// address when there is no name.
    static func mailbox(_ address: MailAddress, field: String, firstLineUsed: Int) throws(MailError) -> String {
        try validate(address.address, field: field)
        guard let name = address.name, !name.isEmpty else { return address.address }
        try HeaderText.checkNoLineBreaks(name, field: "\(field) name")
        return "\(HeaderText.phrase(name, firstLineUsed: firstLineUsed)) <\(address.address)>"
    }

    // atext of RFC 5322 §3.2.3.
    private static let atextSymbols = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    static func isAtext(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || atextSymbols.contains(byte)
    }

    private static func isDotAtom(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        return bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { atom in
            !atom.isEmpty && atom.allSatisfy(isAtext)
        }
    }

    /// Host name labels (letters, digits, inner hyphens) or an address literal such as `[192.0.2.1]`.
    private static func isDomain(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") {
            let inner = bytes.dropFirst().dropLast()
            return !inner.isEmpty
                && inner.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") }
        }
        return bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
