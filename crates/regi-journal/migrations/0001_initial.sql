-- regi journal, schema 1. Times are UTC RFC 3339 text; money is integer yen.

CREATE TABLE business_days (
    id            INTEGER PRIMARY KEY,
    opened_at     TEXT NOT NULL,
    closed_at     TEXT,
    z_report_json TEXT,
    CHECK ((closed_at IS NULL) = (z_report_json IS NULL))
);
-- At most one open day.
CREATE UNIQUE INDEX business_days_one_open ON business_days ((closed_at IS NULL))
    WHERE closed_at IS NULL;
-- A written Z report is a closed record: no edits, no deletion.
CREATE TRIGGER business_days_z_immutable BEFORE UPDATE ON business_days
    WHEN OLD.z_report_json IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'z report is immutable');
END;
CREATE TRIGGER business_days_z_undeletable BEFORE DELETE ON business_days
    WHEN OLD.z_report_json IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'z report is immutable');
END;

CREATE TABLE sales (
    id                 INTEGER PRIMARY KEY,
    business_day_id    INTEGER NOT NULL REFERENCES business_days (id),
    receipt_no         INTEGER NOT NULL UNIQUE,
    kind               TEXT NOT NULL CHECK (kind IN ('payment', 'topup')),
    state              TEXT NOT NULL CHECK (state IN
        ('open', 'pending', 'unknown', 'paid', 'failed', 'expired', 'cancelled', 'refunded')),
    total              INTEGER NOT NULL CHECK (total > 0),
    standard_taxable   INTEGER NOT NULL,
    standard_tax       INTEGER NOT NULL,
    reduced_taxable    INTEGER NOT NULL,
    reduced_tax        INTEGER NOT NULL,
    prices_include_tax INTEGER NOT NULL,
    tax_rounding       TEXT NOT NULL,
    training           INTEGER NOT NULL DEFAULT 0,
    terminal           TEXT NOT NULL DEFAULT '',
    voided_at          TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX sales_by_day ON sales (business_day_id);

CREATE TABLE sale_lines (
    id         INTEGER PRIMARY KEY,
    sale_id    INTEGER NOT NULL REFERENCES sales (id),
    line_no    INTEGER NOT NULL,
    jan        TEXT,
    name       TEXT NOT NULL,
    unit_price INTEGER NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    tax_rate   TEXT NOT NULL CHECK (tax_rate IN ('standard', 'reduced')),
    amount     INTEGER NOT NULL,
    UNIQUE (sale_id, line_no)
);

CREATE TABLE payment_attempts (
    id             INTEGER PRIMARY KEY,
    sale_id        INTEGER NOT NULL REFERENCES sales (id),
    method         TEXT NOT NULL CHECK (method IN ('cashtray', 'cpm')),
    -- Idempotency key for CPM; for a cashtray our own reference until its id is known.
    request_id     TEXT NOT NULL UNIQUE,
    -- Signed as sent to the API: negative for a payment, positive for a top-up.
    amount         INTEGER NOT NULL,
    cashtray_id    TEXT UNIQUE,
    cashtray_token TEXT,
    state          TEXT NOT NULL CHECK (state IN
        ('created', 'presented', 'sent', 'paid', 'failed', 'expired', 'cancelled', 'unknown')),
    fail_reason    TEXT,
    error_type     TEXT,
    error_message  TEXT,
    transaction_id TEXT,
    unknown_since  TEXT,
    customer_name  TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK ((state = 'paid') = (transaction_id IS NOT NULL))
);
CREATE INDEX payment_attempts_by_sale ON payment_attempts (sale_id);
CREATE INDEX payment_attempts_by_state ON payment_attempts (state);

CREATE TABLE refunds (
    id                    INTEGER PRIMARY KEY,
    sale_id               INTEGER NOT NULL REFERENCES sales (id),
    attempt_id            INTEGER NOT NULL REFERENCES payment_attempts (id),
    business_day_id       INTEGER NOT NULL REFERENCES business_days (id),
    transaction_id        TEXT NOT NULL,
    request_id            TEXT NOT NULL UNIQUE,
    amount                INTEGER NOT NULL,
    reason                TEXT NOT NULL,
    state                 TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    error_type            TEXT,
    error_message         TEXT,
    refund_transaction_id TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX refunds_by_sale ON refunds (sale_id);
-- One refund at a time per sale, and only one that succeeds.
CREATE UNIQUE INDEX refunds_one_live ON refunds (sale_id) WHERE state IN ('pending', 'done');

CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    sale_id     INTEGER REFERENCES sales (id),
    attempt_id  INTEGER REFERENCES payment_attempts (id),
    kind        TEXT NOT NULL,
    detail_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_sale ON events (sale_id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;

CREATE TABLE print_jobs (
    id         INTEGER PRIMARY KEY,
    sale_id    INTEGER REFERENCES sales (id),
    kind       TEXT NOT NULL,
    bytes      BLOB NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'printed', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    printed_at TEXT
);
CREATE INDEX print_jobs_pending ON print_jobs (state) WHERE state = 'pending';
