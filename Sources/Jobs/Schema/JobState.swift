/// Where a job is in its life. The state machine, written down once (every transition below is one
/// SQL statement in this module; nothing else changes `state`):
///
/// ```
///                 enqueue (scheduled_at ≤ now)            enqueue (scheduled_at > now)
///                          │                                          │
///                          ▼              stager (due)                ▼
///   ┌──────────────► available ◄──────────────────────────────── scheduled ◄─────────┐
///   │                      │  ▲                                       ▲              │
///   │   stop(grace:)       │  │ stager (due)                          │ JobSnooze    │
///   │   releases           │  └───────────── retryable ◄─────┐        │              │
///   │   (attempt − 1)      │ claim (producer,  attempt + 1)  │        │              │
///   │                      ▼                                 │        │              │
///   └──────────────── running ──── handler error, timeout, ──┘        │              │
///                       │ │ │      unknown kind, rescuer              │              │
///                       │ │ └─────────────────────────────────────────┘              │
///                       │ ├──► completed   (handler returned; completer)             │
///                       │ ├──► discarded   (failure at attempt ≥ max_attempts)       │
///                       │ └──► cancelled   (JobCancel thrown)                        │
///                       │                                                            │
///   available / scheduled / retryable ──► cancelled (JobClient.cancel) ──────────────┘
/// ```
///
/// `completed`, `discarded` and `cancelled` are final (`finalized_at` set; a CHECK enforces it) and
/// are deleted by the prune entry after the retention. Who makes each move:
/// - enqueue (`JobClient`): → `available` or → `scheduled`;
/// - claim (`QueueProducer`): `available` → `running`, `attempt + 1`, `attempted_at`, `attempted_by`;
/// - completer (`Completer`): `running` → `completed` | `retryable` | `discarded` | `cancelled` |
///   `scheduled` (snooze, attempt not counted), only if the row is still that attempt's `running` row;
/// - stager (`Stager`): `scheduled`/`retryable` with `scheduled_at ≤ now()` → `available`;
/// - rescuer (`Rescuer`): `running` whose worker stopped heartbeating (or running past `rescueAfter`)
///   → `retryable` (due at once) or `discarded` at `max_attempts`;
/// - graceful stop (`JobSystem.stop`): its own unfinished `running` → `available`, attempt not counted.
public enum JobState: String, Sendable, CaseIterable, Codable {
    case available
    case scheduled
    case running
    case retryable
    case completed
    case discarded
    case cancelled

    /// True for the states a job never leaves.
    public var isFinal: Bool {
        switch self {
        case .completed, .discarded, .cancelled: return true
        case .available, .scheduled, .running, .retryable: return false
        }
    }
}
