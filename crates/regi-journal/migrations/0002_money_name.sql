-- regi journal, schema 2: the name of the money a payment was made with (e.g. ポケペイマネー),
-- printed on receipts and reprints as "Pokepay (<money name>)". NULL when it was never reported.

ALTER TABLE payment_attempts ADD COLUMN money_name TEXT;
