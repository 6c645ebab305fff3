import Postgres

/// Planning's tables.
/// - `ai_proposals`: plans for a trip, whoever produced them, with their checks; applied or discarded
///   at most once (`status`). They go with their trip.
/// - `ai_plan_requests`: one per generate call, the API's job id. It points at the job row (whose
///   state, attempts and errors it shows) and, once done, at the proposal; the API never shows job
///   rows of other kinds. Only the requester sees it.
enum PlanningSchema {
    static let migrations: [Migration] = [
        Migration(
            id: "ai_plan_0001_proposals",
            sql: """
                CREATE TABLE ai_proposals (
                    id uuid PRIMARY KEY,
                    trip_id uuid NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
                    -- Not a foreign key: a proposal outlives its author's account, like the trip's items.
                    created_by uuid NOT NULL,
                    request jsonb NOT NULL,
                    planner text NOT NULL CHECK (planner IN ('builtin', 'model')),
                    model text,
                    fallback_reason text,
                    model_violations jsonb NOT NULL DEFAULT '[]',
                    model_attempts integer NOT NULL DEFAULT 0,
                    plan jsonb NOT NULL,
                    checks jsonb NOT NULL,
                    notes jsonb NOT NULL DEFAULT '[]',
                    status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'applied', 'discarded')),
                    trip_version bigint NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    applied_at timestamptz,
                    discarded_at timestamptz
                );
                CREATE INDEX ai_proposals_trip ON ai_proposals (trip_id, id DESC);

                CREATE TABLE ai_plan_requests (
                    id uuid PRIMARY KEY,
                    job_id bigint NOT NULL,
                    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    api_key_id uuid,
                    trip_id uuid NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
                    request jsonb NOT NULL,
                    proposal_id uuid REFERENCES ai_proposals (id) ON DELETE SET NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX ai_plan_requests_user ON ai_plan_requests (user_id, id DESC);
                """)
    ]
}
