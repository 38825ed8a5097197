-- regi journal, schema 13: a sale of another till of the store, copied here to be returned at
-- this till (store mode: its receipt scanned here, the sale read from the store's database).
-- The copy keeps the other till's terminal id (`origin_terminal`), its sale id there
-- (`origin_sale_id`), its receipt number and register name, its lines and paid tenders, so the
-- refund is journaled here against it and carries the original sale's id. A copy belongs to no
-- business day of this till: it is never counted as a sale here (its till counts it); only its
-- refunds are, on the day they are made.
-- Receipt numbers stay unique among this till's own sales.

CREATE TABLE sales_v13 (
    id                 INTEGER PRIMARY KEY,
    business_day_id    INTEGER REFERENCES business_days (id),
    receipt_no         INTEGER NOT NULL,
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
    released           INTEGER NOT NULL DEFAULT 0 CHECK (released >= 0 AND released < total),
    staff_code         TEXT,
    staff_name         TEXT,
    origin_terminal    TEXT,
    origin_sale_id     INTEGER,
    CHECK ((origin_sale_id IS NULL) = (origin_terminal IS NULL)),
    CHECK ((origin_sale_id IS NULL) = (business_day_id IS NOT NULL))
);

INSERT INTO sales_v13 (
    id, business_day_id, receipt_no, kind, state, total, standard_taxable, standard_tax,
    reduced_taxable, reduced_tax, prices_include_tax, tax_rounding, training, terminal,
    voided_at, created_at, updated_at, released, staff_code, staff_name)
SELECT
    id, business_day_id, receipt_no, kind, state, total, standard_taxable, standard_tax,
    reduced_taxable, reduced_tax, prices_include_tax, tax_rounding, training, terminal,
    voided_at, created_at, updated_at, released, staff_code, staff_name
FROM sales;

DROP TABLE sales;
ALTER TABLE sales_v13 RENAME TO sales;
CREATE INDEX sales_by_day ON sales (business_day_id);
CREATE UNIQUE INDEX sales_own_receipt_no ON sales (receipt_no) WHERE origin_sale_id IS NULL;
-- One copy of a sale of another till.
CREATE UNIQUE INDEX sales_copied_once ON sales (origin_terminal, origin_sale_id)
    WHERE origin_sale_id IS NOT NULL;
