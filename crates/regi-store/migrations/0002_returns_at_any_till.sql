-- regi store, schema 2: returns at any till. A till returning a sale of another till keeps a
-- copy of it (its journal's schema 13) with no business day there, naming the sale's own till
-- and id; the store keeps those names beside the copy, so any till can see whether and where a
-- sale was given back, and a receipt is looked up among the sales rung at their own till.

ALTER TABLE regi.sales ALTER COLUMN business_day_id DROP NOT NULL;
ALTER TABLE regi.sales ADD COLUMN origin_terminal_id text;
ALTER TABLE regi.sales ADD COLUMN origin_sale_id bigint;
CREATE INDEX sales_by_origin ON regi.sales (origin_terminal_id, origin_sale_id)
    WHERE origin_terminal_id IS NOT NULL;

-- As in schema 1, with a copy's origin kept, and no business day of a copy in its days.
CREATE OR REPLACE FUNCTION regi.apply_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = regi, pg_temp
    AS $$
DECLARE
    sale jsonb := NEW.snapshot -> 'sale';
    day jsonb := NEW.snapshot -> 'business_day';
    movement jsonb := NEW.snapshot -> 'drawer_movement';
BEGIN
    IF jsonb_typeof(sale) = 'object' THEN
        INSERT INTO regi.sales AS s (terminal_id, sale_id, seq, business_day_id, day_ids,
                                     receipt_no, snapshot, origin_terminal_id, origin_sale_id)
        VALUES (NEW.terminal_id, (sale ->> 'id')::bigint, NEW.seq,
                (sale ->> 'business_day_id')::bigint,
                ARRAY(SELECT d FROM (SELECT (sale ->> 'business_day_id')::bigint
                                     UNION
                                     SELECT (r ->> 'business_day_id')::bigint
                                     FROM jsonb_array_elements(
                                         COALESCE(NEW.snapshot -> 'refunds', '[]')) r) days (d)
                      WHERE d IS NOT NULL),
                (sale ->> 'receipt_no')::bigint, NEW.snapshot,
                sale ->> 'origin_terminal', (sale ->> 'origin_sale_id')::bigint)
        ON CONFLICT (terminal_id, sale_id) DO UPDATE
            SET seq = EXCLUDED.seq, business_day_id = EXCLUDED.business_day_id,
                day_ids = EXCLUDED.day_ids, receipt_no = EXCLUDED.receipt_no,
                snapshot = EXCLUDED.snapshot, origin_terminal_id = EXCLUDED.origin_terminal_id,
                origin_sale_id = EXCLUDED.origin_sale_id
            WHERE s.seq < EXCLUDED.seq;
    END IF;
    IF jsonb_typeof(day) = 'object' THEN
        INSERT INTO regi.business_days AS d (terminal_id, business_day_id, seq, opened_at,
                                             closed_at, row_data)
        VALUES (NEW.terminal_id, (day ->> 'id')::bigint, NEW.seq,
                (day ->> 'opened_at')::timestamptz, (day ->> 'closed_at')::timestamptz, day)
        ON CONFLICT (terminal_id, business_day_id) DO UPDATE
            SET seq = EXCLUDED.seq, closed_at = EXCLUDED.closed_at, row_data = EXCLUDED.row_data
            WHERE d.seq < EXCLUDED.seq;
    END IF;
    IF jsonb_typeof(movement) = 'object' THEN
        INSERT INTO regi.drawer_movements (terminal_id, movement_id, business_day_id, row_data)
        VALUES (NEW.terminal_id, (movement ->> 'id')::bigint,
                (movement ->> 'business_day_id')::bigint, movement)
        ON CONFLICT DO NOTHING;
    END IF;
    UPDATE regi.terminals SET shipped_seq = NEW.seq, shipped_at = NEW.at
        WHERE terminal_id = NEW.terminal_id AND shipped_seq < NEW.seq;
    RETURN NULL;
END
$$;
