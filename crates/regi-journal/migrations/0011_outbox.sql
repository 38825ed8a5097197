-- regi journal, schema 11: the outbox that store mode ships to PostgreSQL. Every event appended to
-- the event log gets a row here in the same transaction, so its number (`seq`) is this terminal's
-- sequence: gap-free (a rolled-back write takes its row with it), never reused, in the order the
-- writes happened. The row carries what the event left behind, whole, so the store can rebuild
-- this till's reports from it: for an event of a sale the sale with its lines, attempts and
-- refunds; for a business day opened or closed (the Z) the day with its Z report; for a drawer
-- movement the movement. Events logged before this schema are not in it: the store starts from
-- the first write after the upgrade.

CREATE TABLE outbox (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id      INTEGER NOT NULL UNIQUE REFERENCES events (id),
    snapshot_json TEXT NOT NULL
);
CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox
BEGIN
    SELECT RAISE(ABORT, 'the outbox is append-only');
END;
CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox
BEGIN
    SELECT RAISE(ABORT, 'the outbox is append-only');
END;
