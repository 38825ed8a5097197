-- regi journal, schema 6: a sale can be refunded in parts (a partial refund by amount, where the
-- provider allows it). Several refunds of one sale may now be done; still only one may be
-- pending at a time, so a refund whose answer was lost is settled before another is begun. A
-- sale is 'refunded' once its done refunds sum to what was paid.

DROP INDEX refunds_one_live;
CREATE UNIQUE INDEX refunds_one_pending ON refunds (sale_id) WHERE state = 'pending';
