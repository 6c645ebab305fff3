import Postgres

/// Kernel's own tables.
public enum KernelSchema {
    public static let migrations = [
        Migration(
            id: "kernel_0001_idempotency",
            sql: """
                CREATE TABLE idempotency_keys (
                    scope text NOT NULL,
                    key text NOT NULL,
                    fingerprint bytea NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    -- NULL while the first request is in flight.
                    completed_at timestamptz,
                    status smallint,
                    headers jsonb,
                    body bytea,
                    PRIMARY KEY (scope, key)
                );
                CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
                """)
    ]
}
