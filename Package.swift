// swift-tools-version:6.0
// TravelSense: one executable, a hand-written HTTP/1.1 server, internal modules layered per DESIGN §1.
import PackageDescription

/// Every Swift target builds in Swift 6 language mode (strict concurrency).
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "travelsense",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "travelsense", targets: ["travelsense"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
    ],
    targets: [
        // System-library shims: a module map and a header, nothing else. Only these import C.
        .systemLibrary(
            name: "CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]),
        .systemLibrary(
            name: "CHiredis", pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"]), .brew(["hiredis"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),

        // Infrastructure.
        .target(name: "Compression", dependencies: ["CZlib"], swiftSettings: strict),
        .target(name: "HTTP", dependencies: ["Compression"], swiftSettings: strict),
        // OpenSSL behind Swift types: hashes, MACs, password hashing, AEAD, signatures, base64url.
        .target(name: "Crypto", dependencies: ["COpenSSL"], swiftSettings: strict),
        // Outbound HTTP/1.1: the same strict octet parsing as the server, a keep-alive pool, TLS via Crypto.
        .target(name: "HTTPClient", dependencies: ["HTTP", "Crypto"], swiftSettings: strict),
        // Outbound e-mail: SMTP with STARTTLS (Crypto's TLS stream) and a file transport for dev.
        .target(name: "Mail", dependencies: ["Crypto"], swiftSettings: strict),
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .target(
            name: "Redis",
            dependencies: ["CHiredis", .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: strict),
        .target(
            name: "Jobs",
            dependencies: [
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        // Throw-away PostgreSQL and Redis child processes for `travelsense dev` and the tests.
        .target(name: "DevServices", swiftSettings: strict),

        // What every domain module shares.
        .target(
            name: "Kernel",
            dependencies: [
                "HTTP", "Postgres", "Redis", "Jobs", "Crypto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),

        // Domain modules.
        .target(name: "Auth", dependencies: ["Kernel", "HTTP", "Crypto", "Mail"], swiftSettings: strict),
        // Trips reads accounts through Auth's public AuthService only (never its tables).
        .target(
            name: "Trips",
            dependencies: [
                "Kernel", "Auth", "HTTP", "HTTPClient", "Crypto", "Postgres", "Redis", "Jobs",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            exclude: ["Resources/ATTRIBUTION.md"],
            // The offline gazetteer, installed beside the executable (found by path, not Bundle.module).
            resources: [.copy("Resources/cities15000.tsv")],
            swiftSettings: strict),

        // Exports (calendar, GPX/KML, CSV, PDF, ZIP) to object storage; reads trips through TripService only.
        .target(
            name: "Export",
            dependencies: [
                "Kernel", "Trips", "HTTP", "HTTPClient", "Crypto", "Compression", "Postgres", "Jobs",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Resources/DejaVu-LICENSE.md", "Resources/DroidSansFallback-LICENSE.md"],
            // The PDF fonts (fonts-dejavu-core, and fonts-droid-fallback for CJK), installed beside the
            // executable like the gazetteer.
            resources: [
                .copy("Resources/DejaVuSans.ttf"), .copy("Resources/DejaVuSans-Bold.ttf"),
                .copy("Resources/DroidSansFallbackFull.ttf"),
            ],
            swiftSettings: strict),

        // The OpenAI-compatible LLM gateway and AI itinerary planning; reads trips through TripService only.
        .target(
            name: "AIProxy",
            dependencies: [
                "Kernel", "Trips", "HTTP", "HTTPClient", "Crypto", "Postgres", "Redis", "Jobs",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),

        // The testing library: real PostgreSQL/Redis once per test process, a fresh database per suite.
        .target(
            name: "TestSupport", dependencies: ["DevServices", "Postgres", "Redis", "Crypto"],
            path: "Tests/TestSupport", exclude: ["Resources/fake_llm.py"],
            swiftSettings: strict),

        // The executable: commands and wiring only.
        .executableTarget(
            name: "travelsense",
            dependencies: [
                "Kernel", "Auth", "Trips", "Export", "AIProxy", "Mail", "HTTP", "Postgres", "Redis", "Jobs",
                "DevServices", "Crypto", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // Benchmarks that need more than wrk: `bench/jobs.sh` runs this one.
        .executableTarget(
            name: "postgres-bench", dependencies: ["Postgres"], path: "bench/postgres-bench", swiftSettings: strict),
        .executableTarget(
            name: "jobs-bench", dependencies: ["Jobs", "Postgres", "DevServices"], path: "bench/jobs-bench",
            swiftSettings: strict),

        .testTarget(name: "HTTPTests", dependencies: ["HTTP"], swiftSettings: strict),
        .testTarget(
            name: "HTTPClientTests", dependencies: ["HTTPClient", "HTTP", "Crypto", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "CompressionTests", dependencies: ["Compression"], swiftSettings: strict),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "MailTests", dependencies: ["Mail", "Crypto", "TestSupport"], exclude: ["smtp_server.py"],
            swiftSettings: strict),
        .testTarget(
            name: "AuthTests", dependencies: ["Auth", "Crypto", "Kernel", "HTTP", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "TripsTests", dependencies: ["Trips", "Kernel"], swiftSettings: strict),
        .testTarget(
            name: "AIProxyTests", dependencies: ["AIProxy", "Kernel", "HTTP", "HTTPClient", "Trips", "TestSupport"],
            swiftSettings: strict),
        .testTarget(name: "ExportTests", dependencies: ["Export", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "KernelTests", dependencies: ["Kernel", "HTTP", "Postgres", "Redis", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PostgresTests", dependencies: ["Postgres", "DevServices", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "RedisTests", dependencies: ["Redis", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "JobsTests", dependencies: ["Jobs", "Postgres", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "DevServicesTests", dependencies: ["DevServices"], swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Kernel", "Auth", "Trips", "Export", "AIProxy", "Mail", "HTTP", "Postgres", "Redis", "Jobs",
                "DevServices", "Crypto", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
    ]
)
