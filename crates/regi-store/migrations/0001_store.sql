-- regi store, schema 1: the terminals of the store, their shipped journal events, and what the
-- events left behind (sales, business days, drawer movements), from which store reports are made.
--
-- Each terminal logs in as a role of its own, a member of regi_terminal. Row-level security lets
-- that role insert and read only its own terminal's events and update only its own status; the
-- mirror tables are written by a trigger that runs as the schema's owner. A re-sent event
-- ((terminal_id, seq) already there) changes nothing.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'regi_terminal') THEN
        CREATE ROLE regi_terminal NOLOGIN;
    END IF;
END
$$;

CREATE TABLE regi.terminals (
    terminal_id     text PRIMARY KEY CHECK (length(terminal_id) > 0),
    store_id        text NOT NULL CHECK (length(store_id) > 0),
    role_name       name NOT NULL UNIQUE,
    -- The newest event the store holds and when it was written at the till (kept by the
    -- trigger below, so every role can see how far each terminal has shipped).
    shipped_seq     bigint NOT NULL DEFAULT 0,
    shipped_at      timestamptz,
    -- The newest sequence number in the terminal's journal, as it last said, and its time.
    journal_head    bigint NOT NULL DEFAULT 0,
    journal_head_at timestamptz,
    last_error      text,
    last_error_at   timestamptz,
    last_contact    timestamptz
);

-- The terminal a role ships for. SECURITY DEFINER so policies can ask it whatever rows the
-- caller may see; the role is passed in, evaluated as the caller.
CREATE FUNCTION regi.terminal_of(role name) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = regi, pg_temp
    AS $$ SELECT terminal_id FROM regi.terminals WHERE role_name = role $$;

-- Registers a terminal for a login role (run by the store's administrator).
CREATE FUNCTION regi.add_terminal(terminal text, store text, role name) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO regi.terminals (terminal_id, store_id, role_name) VALUES (terminal, store, role);
    EXECUTE format('GRANT regi_terminal TO %I', role);
END
$$;
REVOKE ALL ON FUNCTION regi.add_terminal(text, text, name) FROM PUBLIC;

CREATE TABLE regi.events (
    terminal_id text NOT NULL REFERENCES regi.terminals,
    seq         bigint NOT NULL CHECK (seq > 0),
    event_id    bigint NOT NULL,
    at          timestamptz NOT NULL,
    kind        text NOT NULL,
    sale_id     bigint,
    attempt_id  bigint,
    detail      jsonb NOT NULL,
    snapshot    jsonb NOT NULL,
    shipped_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (terminal_id, seq)
);

-- The latest snapshot of each sale (lines, attempts, refunds), and the business days it
-- counts in: its own and each day one of its refunds was made.
CREATE TABLE regi.sales (
    terminal_id     text NOT NULL,
    sale_id         bigint NOT NULL,
    seq             bigint NOT NULL,
    business_day_id bigint NOT NULL,
    day_ids         bigint[] NOT NULL,
    receipt_no      bigint NOT NULL,
    snapshot        jsonb NOT NULL,
    PRIMARY KEY (terminal_id, sale_id)
);
CREATE INDEX sales_by_day ON regi.sales USING gin (day_ids);
CREATE INDEX sales_by_receipt ON regi.sales (terminal_id, receipt_no);

CREATE TABLE regi.business_days (
    terminal_id     text NOT NULL,
    business_day_id bigint NOT NULL,
    seq             bigint NOT NULL,
    opened_at       timestamptz NOT NULL,
    closed_at       timestamptz,
    row_data        jsonb NOT NULL,
    PRIMARY KEY (terminal_id, business_day_id)
);

CREATE TABLE regi.drawer_movements (
    terminal_id     text NOT NULL,
    movement_id     bigint NOT NULL,
    business_day_id bigint NOT NULL,
    row_data        jsonb NOT NULL,
    PRIMARY KEY (terminal_id, movement_id)
);

-- The store's product catalog (the CSV of `[sale] catalog`), one per store, numbered: every
-- push is the next version, and tills take a newer one when they start.
CREATE TABLE regi.catalogs (
    store_id  text PRIMARY KEY,
    version   bigint NOT NULL CHECK (version > 0),
    content   text NOT NULL,
    pushed_at timestamptz NOT NULL DEFAULT now()
);

-- A store's Z report of a date: written once.
CREATE TABLE regi.store_z_reports (
    store_id      text NOT NULL,
    business_date date NOT NULL,
    closed_at     timestamptz NOT NULL DEFAULT now(),
    forced        boolean NOT NULL,
    report        jsonb NOT NULL,
    PRIMARY KEY (store_id, business_date)
);

CREATE FUNCTION regi.apply_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = regi, pg_temp
    AS $$
DECLARE
    sale jsonb := NEW.snapshot -> 'sale';
    day jsonb := NEW.snapshot -> 'business_day';
    movement jsonb := NEW.snapshot -> 'drawer_movement';
BEGIN
    IF jsonb_typeof(sale) = 'object' THEN
        INSERT INTO regi.sales AS s (terminal_id, sale_id, seq, business_day_id, day_ids,
                                     receipt_no, snapshot)
        VALUES (NEW.terminal_id, (sale ->> 'id')::bigint, NEW.seq,
                (sale ->> 'business_day_id')::bigint,
                ARRAY(SELECT (sale ->> 'business_day_id')::bigint
                      UNION
                      SELECT (r ->> 'business_day_id')::bigint
                      FROM jsonb_array_elements(COALESCE(NEW.snapshot -> 'refunds', '[]')) r),
                (sale ->> 'receipt_no')::bigint, NEW.snapshot)
        ON CONFLICT (terminal_id, sale_id) DO UPDATE
            SET seq = EXCLUDED.seq, business_day_id = EXCLUDED.business_day_id,
                day_ids = EXCLUDED.day_ids, receipt_no = EXCLUDED.receipt_no,
                snapshot = EXCLUDED.snapshot
            WHERE s.seq < EXCLUDED.seq;
    END IF;
    IF jsonb_typeof(day) = 'object' THEN
        INSERT INTO regi.business_days AS d (terminal_id, business_day_id, seq, opened_at,
                                             closed_at, row_data)
        VALUES (NEW.terminal_id, (day ->> 'id')::bigint, NEW.seq,
                (day ->> 'opened_at')::timestamptz, (day ->> 'closed_at')::timestamptz, day)
        ON CONFLICT (terminal_id, business_day_id) DO UPDATE
            SET seq = EXCLUDED.seq, closed_at = EXCLUDED.closed_at, row_data = EXCLUDED.row_data
            WHERE d.seq < EXCLUDED.seq;
    END IF;
    IF jsonb_typeof(movement) = 'object' THEN
        INSERT INTO regi.drawer_movements (terminal_id, movement_id, business_day_id, row_data)
        VALUES (NEW.terminal_id, (movement ->> 'id')::bigint,
                (movement ->> 'business_day_id')::bigint, movement)
        ON CONFLICT DO NOTHING;
    END IF;
    UPDATE regi.terminals SET shipped_seq = NEW.seq, shipped_at = NEW.at
        WHERE terminal_id = NEW.terminal_id AND shipped_seq < NEW.seq;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_apply AFTER INSERT ON regi.events
    FOR EACH ROW EXECUTE FUNCTION regi.apply_event();

-- What a terminal's role may do: read the schema, ship its own events, keep its own status,
-- read the store's sales (a receipt of another till is looked up there) and take the store's Z.
GRANT USAGE ON SCHEMA regi TO regi_terminal;
-- A till checks the schema is the one it speaks (regi doctor).
GRANT SELECT ON regi.schema_migrations TO regi_terminal;
GRANT SELECT, INSERT ON regi.events TO regi_terminal;
GRANT SELECT ON regi.terminals TO regi_terminal;
GRANT UPDATE (journal_head, journal_head_at, last_error, last_error_at, last_contact)
    ON regi.terminals TO regi_terminal;
GRANT SELECT ON regi.sales, regi.business_days, regi.drawer_movements TO regi_terminal;
-- A manager at any till takes the store's Z and pushes its catalog.
GRANT SELECT, INSERT ON regi.store_z_reports TO regi_terminal;
GRANT SELECT, INSERT, UPDATE ON regi.catalogs TO regi_terminal;

ALTER TABLE regi.events ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_events_read ON regi.events FOR SELECT TO regi_terminal
    USING (terminal_id = regi.terminal_of(current_user));
CREATE POLICY own_events_ship ON regi.events FOR INSERT TO regi_terminal
    WITH CHECK (terminal_id = regi.terminal_of(current_user));

ALTER TABLE regi.terminals ENABLE ROW LEVEL SECURITY;
CREATE POLICY terminals_read ON regi.terminals FOR SELECT TO regi_terminal USING (true);
CREATE POLICY own_status ON regi.terminals FOR UPDATE TO regi_terminal
    USING (role_name = current_user) WITH CHECK (role_name = current_user);
