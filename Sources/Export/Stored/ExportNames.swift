import Foundation

/// File names of exports: an ASCII slug of the trip's title (safe in every file system and header),
/// its extension, and the exact title in RFC 6266's `filename*` where a header carries it.
enum ExportNames {
    static func slug(_ title: String) -> String {
        var slug = ""
        for scalar in title.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, slug.last != "-" {
                slug += "-"
            }
        }
        while slug.last == "-" { slug.removeLast() }
        if slug.isEmpty { slug = "trip" }
        return String(slug.prefix(80))
    }

    static func filename(_ title: String, _ fileExtension: String) -> String {
        slug(title) + "." + fileExtension
    }
}
