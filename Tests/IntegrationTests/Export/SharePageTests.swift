import Crypto
import Foundation
import TestSupport
import Testing

/// `GET /s/{token}`: the share link as a self-contained page, checked by an HTML parser (Python's
/// html.parser with a strict nesting check), by its security headers, and for escaping.
@Suite struct SharePageTests {
    static let hostile = #"<script>alert("x")</script> & 'quotes'"#

    /// A trip with items of several kinds (one titled with markup, one with a booking code), an expense,
    /// a checklist, and a share link granting every section.
    func sharedTrip(_ app: AuthApp) throws -> (crew: TripKit.Crew, token: String, linkID: String, pageURL: String?) {
        let crew = try TripKit.crew(app)
        let owner = crew.owner.accessToken
        let base = "/v1/trips/\(crew.trip)"
        let items: [[String: Any]] = [
            [
                "kind": "activity", "title": Self.hostile, "day": "2027-05-02", "start_time": "09:00",
                "end_time": "10:30",
                "notes": "Line one\nLine <two>", "cost": ["amount": 1250, "currency": "EUR"],
            ],
            [
                "kind": "food", "title": "Café à Lisboa — 東京 ramen", "day": "2027-05-02", "start_time": "13:00",
                "place": ["name": "Time Out Market", "lat": 38.70686, "lon": -9.14596],
            ],
            [
                "kind": "lodging", "title": "Hotel Avenida", "check_in": "2027-05-01", "check_out": "2027-05-04",
                "confirmation_code": "SECRET-BOOKING-42",
            ],
            ["kind": "note", "title": "Maybe Sintra"],
        ]
        for item in items { _ = try TripKit.addItem(app, owner, crew.trip, item) }
        for (path, body) in [
            ("\(base)/expenses", TripKit.taxi(crew, description: "Taxi <fast>")),
            ("\(base)/checklists", ["title": "Pack", "items": ["passport", "charger"]]),
        ] {
            let r = try app.call("POST", path, json: body, token: owner)
            try #require(r.status == 201, "\(path): \(r.text)")
        }
        let link = try app.call(
            "POST", "\(base)/share-links", json: ["sections": ["itinerary", "map", "expenses", "checklists"]],
            token: owner)
        try #require(link.status == 201, "\(link.text)")
        return (crew, try #require(link.string("token")), try #require(link.string("id")), link.string("page_url"))
    }

    @Test func thePageIsSelfContainedEscapedAndWellFormed() throws {
        let app = try AuthApp()
        let (_, token, _, pageURL) = try sharedTrip(app)
        #expect(pageURL?.hasSuffix("/s/\(token)") == true)
        let page = try app.call("GET", "/s/\(token)")
        try #require(page.status == 200, "\(page.text)")
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.header("X-Frame-Options") == "DENY")
        #expect(page.header("Referrer-Policy") == "no-referrer")
        #expect(page.header("X-Content-Type-Options") == "nosniff")
        let csp = try #require(page.header("Content-Security-Policy"))
        #expect(csp.hasPrefix("default-src 'none'; style-src 'sha256-"))
        #expect(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"))

        let html = page.text
        // The CSP admits exactly the page's style sheet.
        let style = try #require(
            html.range(of: "<style>").flatMap { open in
                html.range(of: "</style>", range: open.upperBound..<html.endIndex).map {
                    String(html[open.upperBound..<$0.lowerBound])
                }
            })
        #expect(csp.contains("'sha256-\(Base64.encode(try SHA256.hash(Array(style.utf8))))'"))
        // Escaped everywhere, nothing secret, non-ASCII intact.
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;"))
        #expect(html.contains("Line one<br>Line &lt;two&gt;"))
        #expect(html.contains("Taxi &lt;fast&gt;"))
        #expect(html.contains("Café à Lisboa — 東京 ramen"))
        #expect(!html.contains("SECRET-BOOKING-42"))
        #expect(!html.contains(app.database.url) && !html.contains("@example.com"), "no e-mail addresses")
        #expect(html.contains("12.50 EUR") && html.contains("Sun 2 May 2027"))
        #expect(html.contains("<h3>Stays</h3><ul><li><strong>Hotel Avenida</strong>"))
        #expect(html.contains("(3 nights)"))
        #expect(html.contains("38.70686, -9.14596"))

        let structure = try parse(html)
        #expect(structure["errors"] as? [String] == [], "\(structure["errors"] ?? "")")
        // One h1, then Itinerary (stays, 7 days, ideas), Places, Expenses (to settle), Checklists (Pack).
        let outline = ["h1", "h2"] + Array(repeating: "h3", count: 9) + ["h2", "h2", "h3", "h2", "h3"]
        #expect(structure["headings"] as? [String] == outline)
        #expect(structure["external"] as? [String] == [], "nothing loads from anywhere")
        #expect(structure["lang"] as? String == "en")

        let etag = try #require(page.header("ETag"))
        #expect(try app.call("GET", "/s/\(token)", headers: ["If-None-Match: \(etag)"]).status == 304)
    }

    @Test func aRevokedOrUnknownLinkIsA404PageWithTheSameHeaders() throws {
        let app = try AuthApp()
        let (crew, token, linkID, _) = try sharedTrip(app)
        #expect(try app.call("GET", "/s/sh_nothing-here").status == 404)
        let revoked = try app.call(
            "DELETE", "/v1/trips/\(crew.trip)/share-links/\(linkID)", token: crew.owner.accessToken)
        #expect(revoked.status == 204)
        let gone = try app.call("GET", "/s/\(token)")
        #expect(gone.status == 404)
        #expect(gone.header("Content-Type") == "text/html; charset=utf-8")
        #expect(gone.header("Content-Security-Policy")?.hasPrefix("default-src 'none'") == true)
        #expect(gone.text.contains("This link is not available"))
    }

    /// Python's html.parser with a stack of open elements: every non-void element closed in order, the
    /// heading outline, and any attribute that would load something.
    func parse(_ html: String) throws -> [String: Any] {
        let script = #"""
            import json, sys
            from html.parser import HTMLParser
            VOID = {"meta", "br", "hr", "img", "link", "input", "source", "area", "base", "col", "embed", "wbr"}
            class Check(HTMLParser):
                def __init__(self):
                    super().__init__(convert_charrefs=True)
                    self.stack, self.errors, self.headings, self.external, self.lang = [], [], [], [], None
                def handle_starttag(self, tag, attrs):
                    if tag == "html":
                        self.lang = dict(attrs).get("lang")
                    if tag in ("script", "img", "iframe", "link", "object", "embed"):
                        self.external.append(tag)
                    for name, value in attrs:
                        if name in ("src", "href", "action") and value:
                            self.external.append(f"{tag}[{name}]={value}")
                    if tag in ("h1", "h2", "h3", "h4"):
                        self.headings.append(tag)
                    if tag not in VOID:
                        self.stack.append(tag)
                def handle_endtag(self, tag):
                    if not self.stack or self.stack[-1] != tag:
                        self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
                    else:
                        self.stack.pop()
            p = Check()
            p.feed(open(sys.argv[1], encoding="utf-8").read())
            p.close()
            if p.stack:
                p.errors.append(f"unclosed {p.stack}")
            print(json.dumps({"errors": p.errors, "headings": p.headings, "external": p.external, "lang": p.lang}))
            """#
        return try PythonScript.json(script, input: Array(html.utf8))
    }
}
