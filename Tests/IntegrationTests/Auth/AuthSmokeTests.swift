import Foundation
import Testing

@Suite struct AuthSmokeTests {
    @Test func registerThenMe() throws {
        let app = try AuthApp()
        let a = try app.register()
        let me = try app.call("GET", "/v1/me", token: a.accessToken)
        #expect(me.status == 200)
        #expect(me.string("email") == a.email)
        #expect(me.string("id") == a.id)
    }
}
