import Postgres

/// Auth's tables. Secrets are never stored as given: refresh tokens, API keys, one-time tokens and
/// recovery codes as SHA-256 / HMAC digests, passwords as scrypt, TOTP secrets sealed with AES-256-GCM.
public enum AuthSchema {
    public static let migrations = [
        Migration(
            id: "auth_0001_accounts",
            sql: """
                CREATE TABLE users (
                    id uuid PRIMARY KEY,
                    -- Trimmed and lower-cased by the API; unique as typed by anyone.
                    email text NOT NULL,
                    display_name text NOT NULL,
                    -- NULL once the account is deleted: nothing can match it.
                    password_hash text,
                    role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
                    email_verified_at timestamptz,
                    disabled_at timestamptz,
                    deleted_at timestamptz,
                    -- Access tokens issued before this instant are refused (logout-all, reset, disable).
                    tokens_valid_after timestamptz NOT NULL DEFAULT '-infinity',
                    -- FieldCipher-sealed (key id inside); set by enrolment, active once confirmed.
                    totp_secret bytea,
                    totp_enabled_at timestamptz,
                    -- The last time step accepted: a code is single-use within its window.
                    totp_last_step bigint NOT NULL DEFAULT 0,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE UNIQUE INDEX users_email_key ON users (lower(email));

                CREATE TABLE refresh_tokens (
                    id uuid PRIMARY KEY,
                    -- Every token rotated from one login shares the family; reuse revokes it all.
                    family_id uuid NOT NULL,
                    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    token_hash bytea NOT NULL UNIQUE,
                    expires_at timestamptz NOT NULL,
                    rotated_at timestamptz,
                    revoked_at timestamptz,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    ip text,
                    user_agent text
                );
                CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
                CREATE INDEX refresh_tokens_live_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL;

                CREATE TABLE api_keys (
                    id uuid PRIMARY KEY,
                    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    name text NOT NULL,
                    -- The first characters of the key, shown in lists so people can tell keys apart.
                    prefix text NOT NULL,
                    key_hash bytea NOT NULL UNIQUE,
                    scopes text[] NOT NULL,
                    expires_at timestamptz,
                    last_used_at timestamptz,
                    revoked_at timestamptz,
                    created_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX api_keys_user ON api_keys (user_id, id);

                -- Password-reset and e-mail-verification tokens: single use, short-lived.
                CREATE TABLE one_time_tokens (
                    token_hash bytea PRIMARY KEY,
                    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    purpose text NOT NULL CHECK (purpose IN ('password_reset', 'email_verify')),
                    -- The address the token was mailed to: a verification is for that address only.
                    email text NOT NULL,
                    expires_at timestamptz NOT NULL,
                    used_at timestamptz,
                    created_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose);

                CREATE TABLE recovery_codes (
                    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    code_hash bytea NOT NULL,
                    used_at timestamptz,
                    PRIMARY KEY (user_id, code_hash)
                );

                -- Failed sign-ins per e-mail address (existing or not, so a lock-out reveals nothing).
                CREATE TABLE login_failures (
                    email_key bytea PRIMARY KEY,
                    failures integer NOT NULL,
                    locked_until timestamptz,
                    last_failure_at timestamptz NOT NULL
                );

                CREATE TABLE audit_log (
                    id uuid PRIMARY KEY,
                    at timestamptz NOT NULL DEFAULT now(),
                    action text NOT NULL,
                    actor_id uuid,
                    target_id uuid,
                    ip text,
                    user_agent text,
                    request_id text,
                    detail jsonb NOT NULL DEFAULT '{}'
                );
                CREATE INDEX audit_log_actor ON audit_log (actor_id, id DESC);
                CREATE INDEX audit_log_action ON audit_log (action, id DESC);
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit_log is append-only';
                END $$;
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
                    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
                CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
                """),
        // A user's data export reads the events about them (target), not only those they caused.
        Migration(
            id: "auth_0002_audit_log_target",
            sql: """
                CREATE INDEX audit_log_target ON audit_log (target_id, id DESC);
                """),
    ]
}
