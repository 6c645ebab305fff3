import Foundation
import TestSupport
import Testing

/// Stored exports over real sockets, with the job workers and the local store: every format rendered
/// by a job, downloaded through its signed link and checked by an independent reader; links that are
/// tampered with refused; exports of a trip the caller cannot see are 404; expiry removes rows and files.
@Suite struct StoredExportTests {
    /// Requests an export and polls it until it is ready (or failed).
    static func produce(_ app: AuthApp, _ token: String, trip: String, format: String) throws -> [String: Any] {
        let r = try app.call("POST", "/v1/trips/\(trip)/exports", json: ["format": format], token: token)
        guard r.status == 202, let location = r.header("Location") else {
            throw TestFailure("export \(format): \(r.status) \(r.text)")
        }
        #expect(r.string("status") == "pending")
        return try poll(app, token, location)
    }

    static func poll(_ app: AuthApp, _ token: String, _ location: String) throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let view = try app.call("GET", location, token: token)
            guard view.status == 200 else { throw TestFailure("\(location): \(view.status) \(view.text)") }
            if let status = view.string("status"), status == "ready" || status == "failed" { return view.json }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TestFailure("\(location) never finished")
    }

    /// The download link's path and query, fetched from the test server (the link names the configured
    /// public base URL, not the test's port).
    static func download(_ app: AuthApp, _ view: [String: Any]) throws -> APIResponse {
        let text = try #require(view["download_url"] as? String)
        let url = try #require(URLComponents(string: text))
        return try app.call("GET", url.percentEncodedPath + "?" + (url.percentEncodedQuery ?? ""))
    }

    static func sha256(_ bytes: [UInt8]) throws -> String {
        try PythonScript.json(
            #"import hashlib, json, sys; print(json.dumps({"h": hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest()}))"#,
            input: bytes)["h"] as? String ?? ""
    }

    @Test func everyFormatIsRenderedStoredAndDownloadable() throws {
        let app = try AuthApp()
        let crew = try DirectExportTests().trip(app)
        let titles = ["Torre de Belém, tour", "TP 1353", "Hotel Avenida", "Pastéis de Belém", "Maybe Sintra"]
        for format in ["json", "ics", "gpx", "kml", "csv", "pdf", "zip"] {
            let view = try Self.produce(app, crew.viewer.accessToken, trip: crew.trip, format: format)
            try #require(view["status"] as? String == "ready", "\(format): \(view)")
            let file = try Self.download(app, view)
            try #require(file.status == 200, "\(format): \(file.text)")
            #expect(file.raw.body.count == view["size"] as? Int, "\(format)")
            #expect(try Self.sha256(file.raw.body) == view["sha256"] as? String, "\(format)")
            #expect(file.header("Content-Disposition")?.contains("lisbon-week.\(format)") == true)
            #expect(file.header("Cache-Control") == "private, no-store")
            switch format {
            case "pdf":
                let pdf = try PythonScript.json(
                    #"""
                    import json, subprocess, sys
                    from pypdf import PdfReader
                    text = subprocess.run(["pdftotext", "-enc", "UTF-8", sys.argv[1], "-"], capture_output=True, check=True).stdout.decode()
                    reader = PdfReader(sys.argv[1])
                    print(json.dumps({"pdftotext": text, "pypdf": "\n".join(p.extract_text() for p in reader.pages), "pages": len(reader.pages)}))
                    """#, input: file.raw.body)
                for title in titles {
                    #expect((pdf["pdftotext"] as? String)?.contains(title) == true, "pdftotext: \(title)")
                    #expect((pdf["pypdf"] as? String)?.contains(title) == true, "pypdf: \(title)")
                }
                #expect((pdf["pages"] as? Int ?? 0) >= 2, "a cover, then the days")
            case "zip":
                let zip = try PythonScript.json(
                    #"""
                    import json, subprocess, sys, zipfile
                    test = subprocess.run(["unzip", "-t", sys.argv[1]], capture_output=True)
                    z = zipfile.ZipFile(sys.argv[1])
                    print(json.dumps({"unzip": test.returncode, "names": z.namelist(), "bad": z.testzip(),
                        "methods": sorted({i.compress_type for i in z.infolist()}),
                        "title": json.loads(z.read("trip.json"))["trip"]["title"],
                        "pdf": z.read("trip.pdf")[:5].decode()}))
                    """#, input: file.raw.body)
                #expect(zip["unzip"] as? Int == 0)
                #expect(zip["bad"] is NSNull)
                #expect(
                    zip["names"] as? [String] == [
                        "trip.json", "trip.ics", "trip.gpx", "trip.kml", "items.csv", "expenses.csv", "trip.pdf",
                    ])
                #expect(zip["methods"] as? [Int] == [8], "deflated")
                #expect(zip["title"] as? String == "Lisbon week")
                #expect(zip["pdf"] as? String == "%PDF-")
            default:
                let text = String(decoding: file.raw.body, as: UTF8.self)
                for title in titles where format == "json" || format == "csv" {
                    #expect(text.contains(title.replacingOccurrences(of: ",", with: format == "csv" ? "," : ",")))
                }
            }
        }
    }

    @Test func tamperedLinksAreRefusedAndStrangersSeeNothing() throws {
        let app = try AuthApp()
        let crew = try DirectExportTests().trip(app)
        let view = try Self.produce(app, crew.viewer.accessToken, trip: crew.trip, format: "ics")
        let text = try #require(view["download_url"] as? String)
        let link = try #require(URLComponents(string: text))
        let path = link.percentEncodedPath
        var items = link.queryItems ?? []
        func fetch(_ items: [URLQueryItem], path: String = path) throws -> Int {
            var c = URLComponents()
            c.queryItems = items
            return try app.call("GET", path + "?" + (c.percentEncodedQuery ?? "")).status
        }
        #expect(try fetch(items) == 200)
        let expires = try #require(items.firstIndex { $0.name == "expires" })
        let signature = try #require(items.firstIndex { $0.name == "sig" })
        let filename = try #require(items.firstIndex { $0.name == "filename" })
        var changed = items
        changed[expires].value = String((Int(items[expires].value ?? "") ?? 0) + 3600)
        #expect(try fetch(changed) == 403, "a later expiry")
        changed = items
        changed[filename].value = "evil.html"
        #expect(try fetch(changed) == 403, "another file name")
        changed = items
        var sig = Array(items[signature].value ?? "")
        sig[0] = sig[0] == "0" ? "1" : "0"
        changed[signature].value = String(sig)
        #expect(try fetch(changed) == 403, "one signature digit")
        #expect(
            try fetch(items, path: "/v1/downloads/exports/\(UUID().uuidString.lowercased())") == 403, "another export")
        items.removeAll { $0.name == "sig" }
        #expect(try fetch(items) == 403, "unsigned")

        let id = try #require(view["id"] as? String)
        // Exports belong to whoever asked; a trip the caller cannot see cannot be exported.
        #expect(try app.call("GET", "/v1/exports/\(id)", token: crew.owner.accessToken).status == 404)
        #expect(try app.call("GET", "/v1/exports/\(id)", token: crew.stranger.accessToken).status == 404)
        let stranger = try app.call(
            "POST", "/v1/trips/\(crew.trip)/exports", json: ["format": "pdf"], token: crew.stranger.accessToken)
        #expect(stranger.status == 404)
        let unknown = try app.call(
            "POST", "/v1/trips/\(crew.trip)/exports", json: ["format": "docx"], token: crew.viewer.accessToken)
        #expect(unknown.status == 400)
        // Leaving the trip hides its exports at once.
        let leave = try app.call(
            "DELETE", "/v1/trips/\(crew.trip)/members/\(crew.viewer.id)", token: crew.owner.accessToken)
        try #require(leave.status == 204, "\(leave.text)")
        #expect(try app.call("GET", "/v1/exports/\(id)", token: crew.viewer.accessToken).status == 404)
    }

    @Test func expiredExportsAndTheirFilesAreDeleted() throws {
        let app = try AuthApp()
        let crew = try DirectExportTests().trip(app)
        let view = try Self.produce(app, crew.owner.accessToken, trip: crew.trip, format: "gpx")
        let id = try #require(view["id"] as? String)
        let file = app.config.export.directory + "/objects/exports/" + id
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(try app.export.exports.cleanup() == 0, "nothing has expired yet")
        try app.database.pool.execute(
            "UPDATE exports SET expires_at = now() - interval '1 second' WHERE id = $1::uuid", [id])
        #expect(try app.export.exports.cleanup() == 1)
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(try app.call("GET", "/v1/exports/\(id)", token: crew.owner.accessToken).status == 404)
        #expect(try Self.download(app, view).status == 404)
    }

    @Test func myDataExportHoldsEverySectionAndEveryTrip() throws {
        let app = try AuthApp()
        let crew = try DirectExportTests().trip(app)
        let r = try app.call("POST", "/v1/me/export", token: crew.editor.accessToken)
        try #require(r.status == 202, "\(r.text)")
        let location = try #require(r.header("Location"))
        let view = try Self.poll(app, crew.editor.accessToken, location)
        try #require(view["status"] as? String == "ready", "\(view)")
        let file = try Self.download(app, view)
        let archive = try PythonScript.json(
            #"""
            import json, sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            trips = [n for n in z.namelist() if n.startswith("trips/")]
            print(json.dumps({"names": z.namelist(), "email": json.loads(z.read("account.json"))["account"]["email"],
                "trip_titles": [json.loads(z.read(n))["trip"]["title"] for n in trips],
                "exports": len(json.loads(z.read("exports.json"))["exports"])}))
            """#, input: file.raw.body)
        let names = archive["names"] as? [String] ?? []
        for section in [
            "README.txt", "account.json", "sessions.json", "api_keys.json", "audit_log.json", "trips.json",
            "exports.json",
        ] {
            #expect(names.contains(section), "\(section)")
        }
        #expect(archive["email"] as? String == crew.editor.email)
        #expect(archive["trip_titles"] as? [String] == ["Lisbon week"])
        #expect(archive["exports"] as? Int == 1, "the export being made lists itself")
    }
}
