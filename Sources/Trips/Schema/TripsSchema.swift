import Postgres

/// Trips' tables. Every row hangs off `trips` (cascade), and every query reaches it through
/// `trip_members`, so authorisation is part of the SQL (DESIGN §7). `trips.version` is bumped by every
/// write to the trip or anything in it: it is the trip's and the itinerary's ETag, and taking its row
/// lock is what serialises concurrent writers of one trip.
public enum TripsSchema {
    public static let migrations = [
        Migration(
            id: "trips_0001_trips",
            sql: """
                CREATE TABLE trips (
                    id uuid PRIMARY KEY,
                    title text NOT NULL,
                    description text,
                    destination_name text,
                    destination_lat double precision,
                    destination_lon double precision,
                    destination_country text,
                    start_date date NOT NULL,
                    end_date date NOT NULL,
                    timezone text NOT NULL,
                    currency text NOT NULL,
                    budget_amount bigint,
                    budget_currency text,
                    version bigint NOT NULL DEFAULT 1,
                    -- Kept by item writes under the trip's row lock: the 2,000-item limit without count(*).
                    item_count integer NOT NULL DEFAULT 0,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    -- Soft delete: restorable for 30 days, then purged by the trips_purge cron job.
                    deleted_at timestamptz,
                    CHECK (end_date >= start_date)
                );
                CREATE INDEX trips_deleted ON trips (deleted_at) WHERE deleted_at IS NOT NULL;

                CREATE TABLE trip_members (
                    trip_id uuid NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
                    user_id uuid NOT NULL REFERENCES users (id),
                    role text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (trip_id, user_id)
                );
                CREATE UNIQUE INDEX trip_members_one_owner ON trip_members (trip_id) WHERE role = 'owner';
                CREATE INDEX trip_members_user ON trip_members (user_id, trip_id);

                -- Invitations to addresses without an account; they become memberships at registration.
                CREATE TABLE trip_invites (
                    trip_id uuid NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
                    email text NOT NULL,
                    role text NOT NULL CHECK (role IN ('editor', 'viewer')),
                    invited_by uuid NOT NULL REFERENCES users (id),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (trip_id, email)
                );
                CREATE INDEX trip_invites_email ON trip_invites (email);

                CREATE TABLE trip_items (
                    id uuid PRIMARY KEY,
                    trip_id uuid NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
                    kind text NOT NULL CHECK (kind IN ('activity', 'food', 'lodging', 'transport', 'note')),
                    title text NOT NULL,
                    -- NULL: an unscheduled idea.
                    day date,
                    -- A FractionalIndex key: byte order is list order.
                    position text COLLATE "C" NOT NULL,
                    start_time time,
                    end_time time,
                    starts_at timestamptz,
                    ends_at timestamptz,
                    place jsonb,
                    cost_amount bigint,
                    cost_currency text,
                    url text,
                    notes text,
                    -- FieldCipher-sealed, bound to the item id.
                    confirmation_code bytea,
                    check_in date,
                    check_out date,
                    from_place jsonb,
                    to_place jsonb,
                    carrier text,
                    number text,
                    mode text CHECK (mode IN ('flight', 'train', 'bus', 'car', 'ferry', 'walk')),
                    version bigint NOT NULL DEFAULT 1,
                    created_by uuid REFERENCES users (id),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    -- Two writers can never give one day the same position.
                    CONSTRAINT trip_items_position UNIQUE NULLS NOT DISTINCT (trip_id, day, position)
                );

                CREATE TABLE trip_expenses (
                    id uuid PRIMARY KEY,
                    trip_id uuid NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
                    description text NOT NULL,
                    amount bigint NOT NULL,
                    currency text NOT NULL,
                    -- Trip-currency units per unit of `currency`, as the client gave it; NULL in the trip currency.
                    rate text,
                    -- In the trip currency's minor units, and each member's share of it (summing to it exactly).
                    converted_amount bigint NOT NULL,
                    allocation jsonb NOT NULL,
                    paid_by uuid NOT NULL REFERENCES users (id),
                    split_type text NOT NULL CHECK (split_type IN ('equal', 'shares', 'exact')),
                    split jsonb NOT NULL,
                    category text NOT NULL,
                    date date NOT NULL,
                    item_id uuid REFERENCES trip_items (id) ON DELETE SET NULL,
                    version bigint NOT NULL DEFAULT 1,
                    created_by uuid REFERENCES users (id),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX trip_expenses_trip ON trip_expenses (trip_id, date DESC, id DESC);

                CREATE TABLE trip_checklists (
                    id uuid PRIMARY KEY,
                    trip_id uuid NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
                    title text NOT NULL,
                    position text COLLATE "C" NOT NULL,
                    version bigint NOT NULL DEFAULT 1,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    CONSTRAINT trip_checklists_position UNIQUE (trip_id, position)
                );

                CREATE TABLE trip_checklist_items (
                    id uuid PRIMARY KEY,
                    checklist_id uuid NOT NULL REFERENCES trip_checklists (id) ON DELETE CASCADE,
                    trip_id uuid NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
                    text text NOT NULL,
                    position text COLLATE "C" NOT NULL,
                    checked_at timestamptz,
                    checked_by uuid REFERENCES users (id),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    CONSTRAINT trip_checklist_items_position UNIQUE (checklist_id, position)
                );

                CREATE TABLE trip_share_links (
                    id uuid PRIMARY KEY,
                    trip_id uuid NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
                    -- SHA-256 of the token: the token itself is shown once.
                    token_hash bytea NOT NULL UNIQUE,
                    sections text[] NOT NULL,
                    expires_at timestamptz,
                    revoked_at timestamptz,
                    created_by uuid NOT NULL REFERENCES users (id),
                    created_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX trip_share_links_trip ON trip_share_links (trip_id);
                """)
    ]
}
