-- regi store, schema 4: a batch of events applied as one. The shipper sends a batch in one
-- statement; the trigger runs once for it over its inserted rows (a transition table) and keeps
-- only the newest snapshot of each sale, business day and drawer movement in the batch, so a
-- sale of five events is written once, not five times. What it leaves is what schema 2's
-- trigger left event by event.

DROP TRIGGER events_apply ON regi.events;
DROP FUNCTION regi.apply_event();

CREATE FUNCTION regi.apply_events() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = regi, pg_temp
    AS $$
BEGIN
    INSERT INTO regi.sales AS s (terminal_id, sale_id, seq, business_day_id, day_ids,
                                 receipt_no, snapshot, origin_terminal_id, origin_sale_id)
    SELECT DISTINCT ON (e.terminal_id, (e.snapshot -> 'sale' ->> 'id')::bigint)
           e.terminal_id, (e.snapshot -> 'sale' ->> 'id')::bigint, e.seq,
           (e.snapshot -> 'sale' ->> 'business_day_id')::bigint,
           ARRAY(SELECT d FROM (SELECT (e.snapshot -> 'sale' ->> 'business_day_id')::bigint
                                UNION
                                SELECT (r ->> 'business_day_id')::bigint
                                FROM jsonb_array_elements(
                                    COALESCE(e.snapshot -> 'refunds', '[]')) r) days (d)
                 WHERE d IS NOT NULL),
           (e.snapshot -> 'sale' ->> 'receipt_no')::bigint, e.snapshot,
           e.snapshot -> 'sale' ->> 'origin_terminal',
           (e.snapshot -> 'sale' ->> 'origin_sale_id')::bigint
    FROM new_events e
    WHERE jsonb_typeof(e.snapshot -> 'sale') = 'object'
    ORDER BY e.terminal_id, (e.snapshot -> 'sale' ->> 'id')::bigint, e.seq DESC
    ON CONFLICT (terminal_id, sale_id) DO UPDATE
        SET seq = EXCLUDED.seq, business_day_id = EXCLUDED.business_day_id,
            day_ids = EXCLUDED.day_ids, receipt_no = EXCLUDED.receipt_no,
            snapshot = EXCLUDED.snapshot, origin_terminal_id = EXCLUDED.origin_terminal_id,
            origin_sale_id = EXCLUDED.origin_sale_id
        WHERE s.seq < EXCLUDED.seq;

    INSERT INTO regi.business_days AS d (terminal_id, business_day_id, seq, opened_at,
                                         closed_at, row_data)
    SELECT DISTINCT ON (e.terminal_id, (e.snapshot -> 'business_day' ->> 'id')::bigint)
           e.terminal_id, (e.snapshot -> 'business_day' ->> 'id')::bigint, e.seq,
           (e.snapshot -> 'business_day' ->> 'opened_at')::timestamptz,
           (e.snapshot -> 'business_day' ->> 'closed_at')::timestamptz,
           e.snapshot -> 'business_day'
    FROM new_events e
    WHERE jsonb_typeof(e.snapshot -> 'business_day') = 'object'
    ORDER BY e.terminal_id, (e.snapshot -> 'business_day' ->> 'id')::bigint, e.seq DESC
    ON CONFLICT (terminal_id, business_day_id) DO UPDATE
        SET seq = EXCLUDED.seq, closed_at = EXCLUDED.closed_at, row_data = EXCLUDED.row_data
        WHERE d.seq < EXCLUDED.seq;

    INSERT INTO regi.drawer_movements (terminal_id, movement_id, business_day_id, row_data)
    SELECT DISTINCT ON (e.terminal_id, (e.snapshot -> 'drawer_movement' ->> 'id')::bigint)
           e.terminal_id, (e.snapshot -> 'drawer_movement' ->> 'id')::bigint,
           (e.snapshot -> 'drawer_movement' ->> 'business_day_id')::bigint,
           e.snapshot -> 'drawer_movement'
    FROM new_events e
    WHERE jsonb_typeof(e.snapshot -> 'drawer_movement') = 'object'
    ORDER BY e.terminal_id, (e.snapshot -> 'drawer_movement' ->> 'id')::bigint, e.seq
    ON CONFLICT DO NOTHING;

    UPDATE regi.terminals t SET shipped_seq = newest.seq, shipped_at = newest.at
    FROM (SELECT DISTINCT ON (terminal_id) terminal_id, seq, at
          FROM new_events ORDER BY terminal_id, seq DESC) newest
    WHERE t.terminal_id = newest.terminal_id AND t.shipped_seq < newest.seq;
    RETURN NULL;
END
$$;

CREATE TRIGGER events_apply AFTER INSERT ON regi.events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION regi.apply_events();
