import Foundation
import TestSupport
import Testing

/// Calendar feeds over real sockets: a secret URL per feed, read without credentials, showing only the
/// trips its owner can see now; rotation and revocation stop the old URL at once.
@Suite struct CalendarFeedTests {
    static let reader = #"""
        import json, sys, icalendar
        cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
        print(json.dumps({"name": str(cal.get("X-WR-CALNAME")),
            "summaries": sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))}))
        """#

    /// The path of a feed URL (`https_url` minus the base).
    func path(_ feed: APIResponse) throws -> String {
        let url = try #require(feed.string("https_url"))
        let start = try #require(url.range(of: "/v1/calendar/"))
        return String(url[start.lowerBound...])
    }

    @Test func aFeedShowsTheOwnersTripsUntilRotatedOrRevoked() throws {
        let app = try AuthApp()
        let crew = try TripKit.crew(app)
        let owner = crew.owner.accessToken
        _ = try TripKit.addItem(
            app, owner, crew.trip, ["kind": "activity", "title": "Tram 28", "day": "2027-05-02", "start_time": "09:00"])
        let second = try TripKit.createTrip(
            app, owner, TripKit.tripBody(title: "Porto weekend", start: "2027-06-04", end: "2027-06-06"))
        _ = try TripKit.addItem(
            app, owner, second, ["kind": "food", "title": "Francesinha", "day": "2027-06-05", "start_time": "13:00"])

        // All my trips.
        let all = try app.call("POST", "/v1/calendar-feeds", json: [:], token: owner)
        try #require(all.status == 201, "\(all.text)")
        #expect(all.string("url")?.hasPrefix("webcal://") == true)
        let allPath = try path(all)
        let calendar = try app.call("GET", allPath)  // no credentials: the token is one
        try #require(calendar.status == 200, "\(calendar.text)")
        #expect(calendar.header("Content-Type") == "text/calendar; charset=utf-8")
        #expect(calendar.header("Last-Modified")?.hasSuffix(" GMT") == true)
        let parsed = try PythonScript.json(Self.reader, input: calendar.raw.body)
        #expect(parsed["summaries"] as? [String] == ["Francesinha", "Tram 28"])
        let etag = try #require(calendar.header("ETag"))
        #expect(try app.call("GET", allPath, headers: ["If-None-Match: \(etag)"]).status == 304)

        // One trip: only its events, named after it.
        let one = try app.call("POST", "/v1/calendar-feeds", json: ["trip_id": second], token: owner)
        let onePath = try path(one)
        let single = try PythonScript.json(Self.reader, input: try app.call("GET", onePath).raw.body)
        #expect(single["name"] as? String == "Porto weekend" && single["summaries"] as? [String] == ["Francesinha"])

        // Listing never shows tokens.
        let list = try app.call("GET", "/v1/calendar-feeds", token: owner)
        #expect(list.status == 200 && !list.text.contains("cf_"))

        // Rotation: the old URL stops at once, the new one works.
        let rotated = try app.call("POST", "/v1/calendar-feeds/\(try #require(all.string("id")))/rotate", token: owner)
        try #require(rotated.status == 200, "\(rotated.text)")
        #expect(try app.call("GET", allPath).status == 404)
        #expect(try app.call("GET", try path(rotated)).status == 200)

        // Revocation: likewise.
        #expect(
            try app.call("DELETE", "/v1/calendar-feeds/\(try #require(one.string("id")))", token: owner).status == 204)
        #expect(try app.call("GET", onePath).status == 404)
        #expect(try app.call("GET", "/v1/calendar/cf_unknown.ics").status == 404)
    }

    @Test func feedsSeeOnlyTripsTheirOwnerCanStillSee() throws {
        let app = try AuthApp()
        let crew = try TripKit.crew(app)
        _ = try TripKit.addItem(
            app, crew.owner.accessToken, crew.trip,
            ["kind": "activity", "title": "Tram 28", "day": "2027-05-02", "start_time": "09:00"])
        // A stranger cannot make a feed of someone else's trip.
        #expect(
            try app.call("POST", "/v1/calendar-feeds", json: ["trip_id": crew.trip], token: crew.stranger.accessToken)
                .status == 404)
        let viewerOne = try path(
            try app.call("POST", "/v1/calendar-feeds", json: ["trip_id": crew.trip], token: crew.viewer.accessToken))
        let viewerAll = try path(try app.call("POST", "/v1/calendar-feeds", json: [:], token: crew.viewer.accessToken))
        #expect(try app.call("GET", viewerOne).status == 200)
        #expect(
            try PythonScript.json(Self.reader, input: try app.call("GET", viewerAll).raw.body)["summaries"] as? [String]
                == ["Tram 28"])
        // The viewer leaves: the one-trip feed is gone, the all-trips feed is empty.
        let left = try app.call("DELETE", "/v1/trips/\(crew.trip)/members/me", token: crew.viewer.accessToken)
        try #require(left.status == 204, "\(left.text)")
        #expect(try app.call("GET", viewerOne).status == 404)
        #expect(
            try PythonScript.json(Self.reader, input: try app.call("GET", viewerAll).raw.body)["summaries"] as? [String]
                == [])
        // Someone else's feed cannot be rotated or revoked.
        let ownerFeed = try app.call("POST", "/v1/calendar-feeds", json: [:], token: crew.owner.accessToken)
        let id = try #require(ownerFeed.string("id"))
        #expect(try app.call("POST", "/v1/calendar-feeds/\(id)/rotate", token: crew.editor.accessToken).status == 404)
        #expect(try app.call("DELETE", "/v1/calendar-feeds/\(id)", token: crew.editor.accessToken).status == 404)
        #expect(try app.call("GET", try path(ownerFeed)).status == 200)
    }
}
