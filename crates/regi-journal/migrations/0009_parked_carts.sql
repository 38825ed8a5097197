-- regi journal, schema 9: sales put aside before payment (保留). A parked cart is no sale yet:
-- no receipt number, no money. Its lines and discount are kept as rung (JSON) until recalled;
-- a recalled cart keeps its row with the time it was taken back.

CREATE TABLE parked_carts (
    id          INTEGER PRIMARY KEY,
    total       INTEGER NOT NULL CHECK (total > 0),
    cart_json   TEXT NOT NULL,
    staff       TEXT,
    parked_at   TEXT NOT NULL,
    recalled_at TEXT
);
CREATE INDEX parked_carts_waiting ON parked_carts (parked_at) WHERE recalled_at IS NULL;
