-- regi journal: returns of lines (返品). A return names the lines of a sale and how many of each
-- go back, with what each tax rate gives back for them (its share of the sale's discounts
-- borne, the tax in it). Its money goes back as refunds of the sale's tenders, each refund row
-- naming the return. A part of a tender whose provider refunds only whole payments (Pokepay)
-- is given back in cash from the drawer instead: its refund row is marked cash_back, counted
-- as cash and never sent to the provider.

CREATE TABLE returns (
    id                INTEGER PRIMARY KEY,
    sale_id           INTEGER NOT NULL REFERENCES sales (id),
    business_day_id   INTEGER NOT NULL REFERENCES business_days (id),
    reason            TEXT NOT NULL DEFAULT '',
    standard_amount   INTEGER NOT NULL CHECK (standard_amount >= 0),
    standard_tax      INTEGER NOT NULL CHECK (standard_tax >= 0),
    reduced_amount    INTEGER NOT NULL CHECK (reduced_amount >= 0),
    reduced_tax       INTEGER NOT NULL CHECK (reduced_tax >= 0),
    created_at        TEXT NOT NULL,
    CHECK (standard_amount + reduced_amount > 0)
);
CREATE INDEX returns_by_sale ON returns (sale_id);

CREATE TABLE return_lines (
    id         INTEGER PRIMARY KEY,
    return_id  INTEGER NOT NULL REFERENCES returns (id),
    line_no    INTEGER NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    UNIQUE (return_id, line_no)
);

ALTER TABLE refunds ADD COLUMN return_id INTEGER REFERENCES returns (id);
ALTER TABLE refunds ADD COLUMN cash_back INTEGER NOT NULL DEFAULT 0 CHECK (cash_back IN (0, 1));
