import Redis
import Testing

@Suite struct RedisConfigurationTests {
    @Test func hostOnlyUsesDefaults() throws {
        let configuration = try RedisConfiguration(url: "redis://cache.internal")
        #expect(configuration.host == "cache.internal")
        #expect(configuration.port == 6379)
        #expect(configuration.database == 0)
        #expect(configuration.username == nil)
        #expect(configuration.password == nil)
        #expect(configuration.poolSize == RedisConfiguration.defaultPoolSize)
        #expect(configuration.connectTimeout == .milliseconds(250))
    }

    @Test func passwordPortAndDatabase() throws {
        let configuration = try RedisConfiguration(url: "redis://:s3cret@10.0.0.5:6380/3")
        #expect(configuration.host == "10.0.0.5")
        #expect(configuration.port == 6380)
        #expect(configuration.database == 3)
        #expect(configuration.username == nil)
        #expect(configuration.password == "s3cret")
    }

    @Test func aclUserAndPercentEncodedPassword() throws {
        let configuration = try RedisConfiguration(url: "redis://app:p%40ss%3Aw@redis:6379/0")
        #expect(configuration.username == "app")
        #expect(configuration.password == "p@ss:w")
        #expect(configuration.host == "redis")
    }

    @Test func ipv6Host() throws {
        let configuration = try RedisConfiguration(url: "redis://[::1]:7000")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 7000)
    }

    @Test func trailingSlashMeansDatabaseZero() throws {
        #expect(try RedisConfiguration(url: "redis://localhost/").database == 0)
    }

    @Test func tlsIsRefusedClearly() {
        #expect {
            _ = try RedisConfiguration(url: "rediss://:pw@redis:6380")
        } throws: { error in
            guard case .configuration(let message) = error as? RedisError else { return false }
            return message.contains("TLS")
        }
    }

    @Test(arguments: [
        "", "http://localhost", "localhost:6379", "redis://", "redis://:6379", "redis://host:0",
        "redis://host:65536", "redis://host:+1", "redis://host:12ab", "redis://host/-1", "redis://host/abc",
        "redis://host/1/2", "redis://user@host", "redis://:@host", "redis://:pw%zz@host", "redis://host?db=1",
        "redis://[::1", "redis://[::1]x",
    ])
    func badURLsAreRejected(url: String) {
        #expect(throws: RedisError.self) { _ = try RedisConfiguration(url: url) }
    }

    @Test func descriptionsNeverShowThePassword() throws {
        let configuration = try RedisConfiguration(url: "redis://app:hunter2@redis:6379/2")
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [configuration.description, configuration.debugDescription, "\(configuration)", dumped] {
            #expect(!text.contains("hunter2"))
        }
        #expect(configuration.description == "redis://app:***@redis:6379/2")
    }

    @Test func errorsDoNotEchoTheURL() {
        do {
            _ = try RedisConfiguration(url: "redis://:topsecret@host:99999")
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("topsecret"))
            #expect(error.description.contains("port"))
        }
    }
}
