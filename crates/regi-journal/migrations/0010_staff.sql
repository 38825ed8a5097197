-- regi journal, schema 10: who was on duty (担当者). Sales and refunds keep the staff code and
-- the name printed on the receipt; drawer movements and parked carts already have a staff
-- column for the code. The journal fills them from the member of staff signed in at the
-- register when each row is written; signing in and out are events of the log.

ALTER TABLE sales ADD COLUMN staff_code TEXT;
ALTER TABLE sales ADD COLUMN staff_name TEXT;
ALTER TABLE refunds ADD COLUMN staff_code TEXT;
ALTER TABLE refunds ADD COLUMN staff_name TEXT;
