-- regi journal, schema 8: tenders and the cash drawer. A sale is settled by one or more tenders,
-- each an attempt for a part of the total: cash (provider 'cash', tender 'cash', paid the moment
-- it is journaled, with the yen received and the change given), a QR, a customer code or a tab.
-- A sale some of whose tenders are paid but not yet all of its total is 'partly_paid'. The
-- drawer's movements of the business day are kept beside the sales: the opening float
-- (釣銭準備金), paid-in and paid-out (入金 / 出金) with a reason, and cash counts (精算) by
-- denomination with the cash expected at that moment. Every row is copied as it was.

CREATE TABLE sales_v8 (
    id                 INTEGER PRIMARY KEY,
    business_day_id    INTEGER NOT NULL REFERENCES business_days (id),
    receipt_no         INTEGER NOT NULL UNIQUE,
    kind               TEXT NOT NULL CHECK (kind IN ('payment', 'topup')),
    state              TEXT NOT NULL CHECK (state IN
        ('open', 'pending', 'unknown', 'partly_paid', 'paid', 'held', 'failed', 'expired',
         'cancelled', 'refunded')),
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

INSERT INTO sales_v8 (
    id, business_day_id, receipt_no, kind, state, total, standard_taxable, standard_tax,
    reduced_taxable, reduced_tax, prices_include_tax, tax_rounding, training, terminal,
    voided_at, created_at, updated_at, released)
SELECT
    id, business_day_id, receipt_no, kind, state, total, standard_taxable, standard_tax,
    reduced_taxable, reduced_tax, prices_include_tax, tax_rounding, training, terminal,
    voided_at, created_at, updated_at, released
FROM sales;

DROP TABLE sales;
ALTER TABLE sales_v8 RENAME TO sales;
CREATE INDEX sales_by_day ON sales (business_day_id);

-- A cash tender: the yen the customer handed over and the change given back. The tender's
-- amount (what it pays of the sale) is received − change.
ALTER TABLE payment_attempts ADD COLUMN cash_received INTEGER
    CHECK (cash_received IS NULL OR (tender = 'cash' AND cash_received > 0));
ALTER TABLE payment_attempts ADD COLUMN cash_change INTEGER
    CHECK (cash_change IS NULL OR (tender = 'cash' AND cash_change >= 0));

CREATE TABLE drawer_movements (
    id                 INTEGER PRIMARY KEY,
    business_day_id    INTEGER NOT NULL REFERENCES business_days (id),
    kind               TEXT NOT NULL CHECK (kind IN ('float', 'paid_in', 'paid_out', 'count')),
    -- float, paid_in, paid_out: the yen moved; count: the yen counted.
    amount             INTEGER NOT NULL CHECK (amount >= 0),
    reason             TEXT NOT NULL DEFAULT '',
    -- count only: the cash expected in the drawer when it was counted, and the pieces counted
    -- per denomination, as a JSON object from face value to count ({"10000": 2, "1000": 5}).
    expected           INTEGER,
    denominations_json TEXT,
    staff              TEXT,
    created_at         TEXT NOT NULL,
    CHECK ((kind = 'count') = (expected IS NOT NULL)),
    CHECK ((kind = 'count') = (denominations_json IS NOT NULL)),
    CHECK (kind = 'count' OR amount > 0)
);
CREATE INDEX drawer_movements_by_day ON drawer_movements (business_day_id);
