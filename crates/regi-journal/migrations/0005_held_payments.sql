-- regi journal, schema 5: payments held for a later capture (hold-then-capture). A sale can be
-- 'held': the customer paid and the provider holds the money until the clerk captures it, for
-- the whole amount or less; what a smaller capture does not take is the sale's `released` yen.
-- An attempt can be 'authorized' (the held payment, with its transaction id and the yen held);
-- `hold` says the store asked for it, and `capture_amount` is the capture asked for, journaled
-- before it leaves so that a capture repeated after a lost answer asks for the same amount.
-- Every row is copied as it was.

CREATE TABLE sales_v5 (
    id                 INTEGER PRIMARY KEY,
    business_day_id    INTEGER NOT NULL REFERENCES business_days (id),
    receipt_no         INTEGER NOT NULL UNIQUE,
    kind               TEXT NOT NULL CHECK (kind IN ('payment', 'topup')),
    state              TEXT NOT NULL CHECK (state IN
        ('open', 'pending', 'unknown', 'paid', 'held', 'failed', 'expired', 'cancelled',
         'refunded')),
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
    updated_at         TEXT NOT NULL,
    released           INTEGER NOT NULL DEFAULT 0 CHECK (released >= 0 AND released < total)
);

INSERT INTO sales_v5 (
    id, business_day_id, receipt_no, kind, state, total, standard_taxable, standard_tax,
    reduced_taxable, reduced_tax, prices_include_tax, tax_rounding, training, terminal,
    voided_at, created_at, updated_at)
SELECT
    id, business_day_id, receipt_no, kind, state, total, standard_taxable, standard_tax,
    reduced_taxable, reduced_tax, prices_include_tax, tax_rounding, training, terminal,
    voided_at, created_at, updated_at
FROM sales;

DROP TABLE sales;
ALTER TABLE sales_v5 RENAME TO sales;
CREATE INDEX sales_by_day ON sales (business_day_id);

CREATE TABLE payment_attempts_v5 (
    id                INTEGER PRIMARY KEY,
    sale_id           INTEGER NOT NULL REFERENCES sales (id),
    provider          TEXT NOT NULL,
    tender            TEXT NOT NULL CHECK (tender IN
        ('merchant_qr', 'hosted_page', 'customer_code', 'account', 'cash')),
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
    CHECK ((state IN ('paid', 'authorized')) = (transaction_id IS NOT NULL)),
    CHECK (state <> 'authorized' OR authorized_amount IS NOT NULL),
    UNIQUE (provider, provider_ref)
);

INSERT INTO payment_attempts_v5 (
    id, sale_id, provider, tender, request_id, amount, provider_ref, presented_code, state,
    fail_reason, error_type, error_message, transaction_id, unknown_since, customer_name,
    created_at, updated_at, money_name)
SELECT
    id, sale_id, provider, tender, request_id, amount, provider_ref, presented_code, state,
    fail_reason, error_type, error_message, transaction_id, unknown_since, customer_name,
    created_at, updated_at, money_name
FROM payment_attempts;

DROP TABLE payment_attempts;
ALTER TABLE payment_attempts_v5 RENAME TO payment_attempts;
CREATE INDEX payment_attempts_by_sale ON payment_attempts (sale_id);
CREATE INDEX payment_attempts_by_state ON payment_attempts (state);
