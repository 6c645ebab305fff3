/// A job enqueued on a schedule by the leader: `name` identifies it across replicas and restarts.
public struct CronEntry: Sendable, Equatable {
    public let name: String
    public let schedule: CronSchedule
    /// The job to enqueue at each slot (its unique key is set per slot).
    public let job: JobInsert

    public init(name: String, schedule: CronSchedule, job: JobInsert) {
        self.name = name
        self.schedule = schedule
        self.job = job
    }
}
