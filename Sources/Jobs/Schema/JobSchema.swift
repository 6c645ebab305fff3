import Postgres

/// The job system's tables. Apply `JobSchema.migrations` with the other modules' (`Migrator`).
///
/// - `jobs`: one row per job; the state machine is on `JobState`. Indexes are partial so each state
///   transition touches only the index that serves its next reader: the claim scans
///   `jobs_claim_idx` (available rows in claim order), the stager `jobs_stage_idx`, the rescuer
///   `jobs_running_idx`, prune `jobs_finalized_idx`.
/// - Unique keys: at most one *unfinished* job (available, scheduled, running, retryable) per
///   `unique_key`, across queues and kinds. An enqueue that collides inserts nothing and reports the
///   job that holds the key; once that job is finalized the key is free again.
/// - `job_workers`: one row per running process (`JobSystem`), heartbeated; the rescuer tells dead
///   workers from slow ones by it.
/// - `job_leader`: the cron/maintenance leader's lease.
/// - `job_cron`: the last slot each cron entry enqueued, so no slot runs twice across leaders.
public enum JobSchema {
    public static let migrations: [Migration] = [
        Migration(
            id: "jobs_0001_queue",
            sql: """
                -- A queue table churns: vacuum early so dead index entries do not pile up ahead of the claim.
                CREATE TABLE jobs (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    state text NOT NULL DEFAULT 'available' CONSTRAINT jobs_state_check CHECK (state IN
                        ('available', 'scheduled', 'running', 'retryable', 'completed', 'discarded', 'cancelled')),
                    queue text NOT NULL CONSTRAINT jobs_queue_check CHECK (char_length(queue) BETWEEN 1 AND 128),
                    kind text NOT NULL CONSTRAINT jobs_kind_check CHECK (char_length(kind) BETWEEN 1 AND 128),
                    args jsonb NOT NULL DEFAULT '{}',
                    priority smallint NOT NULL DEFAULT 1,
                    attempt integer NOT NULL DEFAULT 0 CONSTRAINT jobs_attempt_check CHECK (attempt >= 0),
                    max_attempts integer NOT NULL DEFAULT 25
                        CONSTRAINT jobs_max_attempts_check CHECK (max_attempts >= 1),
                    scheduled_at timestamptz NOT NULL DEFAULT now(),
                    attempted_at timestamptz,
                    attempted_by text,
                    errors jsonb NOT NULL DEFAULT '[]',
                    unique_key text,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    finalized_at timestamptz,
                    CONSTRAINT jobs_finalized_check
                        CHECK ((state IN ('completed', 'discarded', 'cancelled')) = (finalized_at IS NOT NULL)),
                    CONSTRAINT jobs_running_check CHECK (state <> 'running' OR attempted_at IS NOT NULL)
                ) WITH (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);

                CREATE INDEX jobs_claim_idx ON jobs (queue, priority, scheduled_at, id) WHERE state = 'available';
                CREATE INDEX jobs_stage_idx ON jobs (scheduled_at) WHERE state IN ('scheduled', 'retryable');
                CREATE INDEX jobs_running_idx ON jobs (attempted_at) WHERE state = 'running';
                CREATE INDEX jobs_finalized_idx ON jobs (finalized_at) WHERE finalized_at IS NOT NULL;
                CREATE UNIQUE INDEX jobs_unique_key_idx ON jobs (unique_key)
                    WHERE unique_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable');

                CREATE TABLE job_workers (
                    id text PRIMARY KEY,
                    host text NOT NULL,
                    pid integer NOT NULL,
                    queues text[] NOT NULL DEFAULT '{}',
                    started_at timestamptz NOT NULL DEFAULT now(),
                    heartbeat_at timestamptz NOT NULL DEFAULT now()
                );

                CREATE TABLE job_leader (
                    name text PRIMARY KEY,
                    holder text NOT NULL,
                    elected_at timestamptz NOT NULL DEFAULT now(),
                    expires_at timestamptz NOT NULL
                );

                CREATE TABLE job_cron (
                    name text PRIMARY KEY,
                    last_slot timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now()
                );
                """)
    ]

    /// The unfinished states as SQL, for the unique-key conflict target (must match the index).
    static let uniqueConflictTarget =
        "(unique_key) WHERE unique_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable')"
}
