-- regi store, schema 3: what reports read, as views. Each names the store of the row's till, so
-- a report asks for its store and nothing else; the tables under them stay the shipper's and
-- the trigger's to write. A till's role reads the views (they run as their owner), the status
-- of every till, and the rows of its own store only through them.

CREATE VIEW regi.store_sales AS
    SELECT t.store_id, s.terminal_id, s.sale_id, s.receipt_no, s.business_day_id, s.day_ids,
           s.origin_terminal_id, s.origin_sale_id, s.snapshot
    FROM regi.sales s JOIN regi.terminals t USING (terminal_id);

CREATE VIEW regi.store_business_days AS
    SELECT t.store_id, d.terminal_id, d.business_day_id, d.opened_at, d.closed_at,
           (d.opened_at AT TIME ZONE 'Asia/Tokyo')::date AS shop_date, d.row_data
    FROM regi.business_days d JOIN regi.terminals t USING (terminal_id);

CREATE VIEW regi.store_drawer_movements AS
    SELECT t.store_id, m.terminal_id, m.movement_id, m.business_day_id, m.row_data
    FROM regi.drawer_movements m JOIN regi.terminals t USING (terminal_id);

-- How far each till has shipped: the newest event the store holds, the newest its journal had
-- when it last called (never behind what was shipped), and how many events and seconds lie
-- between.
CREATE VIEW regi.terminal_status AS
    SELECT terminal_id, store_id, shipped_seq, shipped_at,
           GREATEST(journal_head, shipped_seq) AS journal_seq,
           GREATEST(journal_head, shipped_seq) - shipped_seq AS lag_events,
           CASE WHEN journal_head > shipped_seq AND journal_head_at IS NOT NULL
                     AND shipped_at IS NOT NULL
                THEN GREATEST(0, floor(extract(epoch FROM journal_head_at - shipped_at)))::bigint
                ELSE 0 END AS lag_secs,
           last_contact, last_error
    FROM regi.terminals;

GRANT SELECT ON regi.store_sales, regi.store_business_days, regi.store_drawer_movements,
    regi.terminal_status TO regi_terminal;
