-- regi journal, schema 4: payment attempts in the provider-neutral model. Each attempt names the
-- provider that took it and how the payment was presented (its tender kind); the provider's own
-- reference (a Pokepay Cashtray id, later a KOMOJU session or an elepay charge) and the code shown
-- to the customer get neutral columns. Existing attempts were all Pokepay's: a 'cashtray' attempt
-- was a merchant QR, a 'cpm' attempt a scanned customer code. Nothing else changes; every row is
-- copied as it was.

CREATE TABLE payment_attempts_v4 (
    id             INTEGER PRIMARY KEY,
    sale_id        INTEGER NOT NULL REFERENCES sales (id),
    provider       TEXT NOT NULL,
    tender         TEXT NOT NULL CHECK (tender IN
        ('merchant_qr', 'hosted_page', 'customer_code', 'account', 'cash')),
    -- Idempotency key or merchant reference, journaled before the first request leaves.
    request_id     TEXT NOT NULL UNIQUE,
    -- Signed as sent to the provider: negative for a payment, positive for a top-up.
    amount         INTEGER NOT NULL,
    -- The provider's id of what was created for this attempt (e.g. the QR), once known.
    provider_ref   TEXT,
    -- What the customer was shown to scan, once known.
    presented_code TEXT,
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
    money_name     TEXT,
    CHECK ((state = 'paid') = (transaction_id IS NOT NULL)),
    UNIQUE (provider, provider_ref)
);

INSERT INTO payment_attempts_v4 (
    id, sale_id, provider, tender, request_id, amount, provider_ref, presented_code, state,
    fail_reason, error_type, error_message, transaction_id, unknown_since, customer_name,
    created_at, updated_at, money_name)
SELECT
    id, sale_id, 'pokepay',
    CASE method WHEN 'cashtray' THEN 'merchant_qr' ELSE 'customer_code' END,
    request_id, amount, cashtray_id, cashtray_token, state,
    fail_reason, error_type, error_message, transaction_id, unknown_since, customer_name,
    created_at, updated_at, money_name
FROM payment_attempts;

DROP TABLE payment_attempts;
ALTER TABLE payment_attempts_v4 RENAME TO payment_attempts;
CREATE INDEX payment_attempts_by_sale ON payment_attempts (sale_id);
CREATE INDEX payment_attempts_by_state ON payment_attempts (state);
