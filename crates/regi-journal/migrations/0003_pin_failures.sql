-- regi journal: manager PIN tries. Every wrong PIN is appended (when, on which till, what it was
-- asked for, e.g. 'refund'), and so is every right one, which ends a run of wrong ones: the lockout
-- after repeated wrong PINs is rebuilt from here when regi starts again.

CREATE TABLE pin_tries (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    terminal TEXT NOT NULL,
    guarded  TEXT NOT NULL,
    correct  INTEGER NOT NULL CHECK (correct IN (0, 1))
);
-- The last right try, and the wrong ones after it.
CREATE INDEX pin_tries_by_outcome ON pin_tries (correct, id);
CREATE TRIGGER pin_tries_no_update BEFORE UPDATE ON pin_tries
BEGIN
    SELECT RAISE(ABORT, 'PIN tries are append-only');
END;
CREATE TRIGGER pin_tries_no_delete BEFORE DELETE ON pin_tries
BEGIN
    SELECT RAISE(ABORT, 'PIN tries are append-only');
END;
