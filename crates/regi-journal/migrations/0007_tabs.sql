-- regi journal, schema 7: customers' tabs. A tab is a card authorization opened once for one
-- customer (a hotel stay, a wristband, a monthly account), charged at every sale and billed when
-- it is closed. The provider may have no way to list or read a tab, so this journal is its only
-- record: label, customer, masked card, the provider's id, expiry, and the keys of its opening
-- and closing, each journaled before its request leaves. A sale charged to a tab is an attempt
-- with the tender 'tab' that names the tab; the attempts table is rebuilt for that tender and the
-- column, every row copied as it was.

CREATE TABLE tabs (
    id               INTEGER PRIMARY KEY,
    provider         TEXT NOT NULL,
    -- What the clerk calls it: room 301, table 7, a name. One live tab per label.
    label            TEXT NOT NULL CHECK (length(trim(label)) > 0),
    customer_id      TEXT NOT NULL,
    customer_name    TEXT,
    money_id         TEXT NOT NULL,
    card_id          TEXT NOT NULL,
    card_masked      TEXT NOT NULL,
    -- The end the clerk asked for, and the provider's expiry once opened.
    until            TEXT NOT NULL,
    expires_at       TEXT,
    open_request_id  TEXT NOT NULL UNIQUE,
    provider_ref     TEXT,
    close_request_id TEXT UNIQUE,
    state            TEXT NOT NULL CHECK (state IN
        ('opening', 'open', 'closing', 'closed', 'failed')),
    error_type       TEXT,
    error_message    TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    closed_at        TEXT,
    CHECK ((state IN ('open', 'closing', 'closed')) = (provider_ref IS NOT NULL)),
    CHECK ((state IN ('closing', 'closed')) <= (close_request_id IS NOT NULL)),
    UNIQUE (provider, provider_ref)
);
CREATE UNIQUE INDEX tabs_one_live_label ON tabs (label)
    WHERE state IN ('opening', 'open', 'closing');

CREATE TABLE payment_attempts_v7 (
    id                INTEGER PRIMARY KEY,
    sale_id           INTEGER NOT NULL REFERENCES sales (id),
    provider          TEXT NOT NULL,
    tender            TEXT NOT NULL CHECK (tender IN
        ('merchant_qr', 'hosted_page', 'customer_code', 'tab', 'cash')),
    request_id        TEXT NOT NULL UNIQUE,
    amount            INTEGER NOT NULL,
    provider_ref      TEXT,
    presented_code    TEXT,
    state             TEXT NOT NULL CHECK (state IN
        ('created', 'presented', 'sent', 'paid', 'authorized', 'failed', 'expired',
         'cancelled', 'unknown')),
    fail_reason       TEXT,
    error_type        TEXT,
    error_message     TEXT,
    transaction_id    TEXT,
    unknown_since     TEXT,
    customer_name     TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    money_name        TEXT,
    hold              INTEGER NOT NULL DEFAULT 0 CHECK (hold IN (0, 1)),
    authorized_amount INTEGER CHECK (authorized_amount > 0),
    capture_amount    INTEGER CHECK (capture_amount > 0 AND capture_amount <= authorized_amount),
    -- The tab a 'tab' attempt is charged to.
    tab_id            INTEGER REFERENCES tabs (id),
    CHECK ((state IN ('paid', 'authorized')) = (transaction_id IS NOT NULL)),
    CHECK (state <> 'authorized' OR authorized_amount IS NOT NULL),
    CHECK ((tender = 'tab') = (tab_id IS NOT NULL)),
    UNIQUE (provider, provider_ref)
);

INSERT INTO payment_attempts_v7 (
    id, sale_id, provider, tender, request_id, amount, provider_ref, presented_code, state,
    fail_reason, error_type, error_message, transaction_id, unknown_since, customer_name,
    created_at, updated_at, money_name, hold, authorized_amount, capture_amount)
SELECT
    id, sale_id, provider, tender, request_id, amount, provider_ref, presented_code, state,
    fail_reason, error_type, error_message, transaction_id, unknown_since, customer_name,
    created_at, updated_at, money_name, hold, authorized_amount, capture_amount
FROM payment_attempts;

DROP TABLE payment_attempts;
ALTER TABLE payment_attempts_v7 RENAME TO payment_attempts;
CREATE INDEX payment_attempts_by_sale ON payment_attempts (sale_id);
CREATE INDEX payment_attempts_by_state ON payment_attempts (state);
CREATE INDEX payment_attempts_by_tab ON payment_attempts (tab_id) WHERE tab_id IS NOT NULL;
