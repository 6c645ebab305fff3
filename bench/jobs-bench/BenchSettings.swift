import Foundation

/// What to measure: from flags (`--jobs N --workers N --batch N`) or the environment
/// (`JOBS_BENCH_JOBS`, `JOBS_BENCH_WORKERS`, `JOBS_BENCH_BATCH`); `DATABASE_URL` names a server to use
/// (its user must be allowed to create databases), otherwise a throw-away one is started.
struct BenchSettings {
    static let defaultJobs = 100_000
    static let defaultWorkers = 8
    static let defaultBatch = 1_000

    var jobs = defaultJobs
    var workers = defaultWorkers
    var batch = defaultBatch
    var databaseURL: String?

    init(arguments: [String], environment: [String: String]) throws {
        func number(_ text: String?, _ name: String) throws -> Int? {
            guard let text else { return nil }
            guard let value = Int(text), value > 0, text.allSatisfy(\.isNumber) else {
                throw BenchError("\(name) must be a positive integer, got \(text)")
            }
            return value
        }
        jobs = try number(environment["JOBS_BENCH_JOBS"], "JOBS_BENCH_JOBS") ?? jobs
        workers = try number(environment["JOBS_BENCH_WORKERS"], "JOBS_BENCH_WORKERS") ?? workers
        batch = try number(environment["JOBS_BENCH_BATCH"], "JOBS_BENCH_BATCH") ?? batch
        databaseURL = environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        var i = 0
        while i < arguments.count {
            let flag = arguments[i]
            let value = i + 1 < arguments.count ? arguments[i + 1] : nil
            switch flag {
            case "--jobs": jobs = try number(value, flag) ?? jobs
            case "--workers": workers = try number(value, flag) ?? workers
            case "--batch": batch = try number(value, flag) ?? batch
            default: throw BenchError("unknown argument \(flag) (use --jobs N --workers N --batch N)")
            }
            i += 2
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
