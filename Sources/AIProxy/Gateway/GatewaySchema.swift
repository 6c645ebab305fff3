import Postgres

/// The gateway's tables.
/// - `ai_usage`: one row per call the gateway answered or refused after resolving its model (see
///   `UsageRecord`). Rows go with their user (CASCADE); `api_key_id` and `trip_id` are plain columns,
///   not foreign keys, so deleting a key or a trip keeps the cost history it caused (and `trip_id`
///   from `X-Trip-ID` is the caller's own attribution). Prompts and answers only with `AI_STORE_PROMPTS`.
/// - `ai_budgets`: one limit per subject (a user, or one API key) and period (UTC day or month);
///   `owner_id` is the user whose budget list shows it (the user, or the key's owner). Both go with
///   the user or the key.
enum GatewaySchema {
    static let migrations: [Migration] = [
        Migration(
            id: "ai_0001_usage",
            sql: """
                CREATE TABLE ai_usage (
                    id uuid PRIMARY KEY,
                    created_at timestamptz NOT NULL,
                    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    api_key_id uuid,
                    trip_id uuid,
                    provider text NOT NULL,
                    model text NOT NULL,
                    prompt_tokens integer NOT NULL CHECK (prompt_tokens >= 0),
                    completion_tokens integer NOT NULL CHECK (completion_tokens >= 0),
                    cost_nanos bigint NOT NULL CHECK (cost_nanos >= 0),
                    currency text NOT NULL,
                    latency_ms integer NOT NULL,
                    cache_hit boolean NOT NULL,
                    status text NOT NULL CHECK (status IN ('ok', 'error', 'cancelled', 'budget')),
                    stream boolean NOT NULL,
                    prompt jsonb,
                    answer jsonb
                );
                CREATE INDEX ai_usage_user ON ai_usage (user_id, created_at);
                CREATE INDEX ai_usage_key ON ai_usage (api_key_id, created_at) WHERE api_key_id IS NOT NULL;
                CREATE INDEX ai_usage_created ON ai_usage (created_at);
                """),
        Migration(
            id: "ai_0002_budgets",
            sql: """
                CREATE TABLE ai_budgets (
                    id uuid PRIMARY KEY,
                    user_id uuid REFERENCES users (id) ON DELETE CASCADE,
                    api_key_id uuid REFERENCES api_keys (id) ON DELETE CASCADE,
                    owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    period text NOT NULL CHECK (period IN ('day', 'month')),
                    max_tokens bigint CHECK (max_tokens >= 0),
                    max_cost_nanos bigint CHECK (max_cost_nanos >= 0),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    CHECK ((user_id IS NULL) <> (api_key_id IS NULL)),
                    CHECK (max_tokens IS NOT NULL OR max_cost_nanos IS NOT NULL)
                );
                CREATE UNIQUE INDEX ai_budgets_user ON ai_budgets (user_id, period) WHERE user_id IS NOT NULL;
                CREATE UNIQUE INDEX ai_budgets_key ON ai_budgets (api_key_id, period) WHERE api_key_id IS NOT NULL;
                CREATE INDEX ai_budgets_owner ON ai_budgets (owner_id);
                """),
    ]
}
