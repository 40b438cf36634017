-- A sequence made in this file is new: locking it blocks nobody.
CREATE SEQUENCE invoice_no_seq; -- want: none
ALTER SEQUENCE invoice_no_seq RESTART WITH 1000; -- want: none
DROP SEQUENCE invoice_no_seq; -- want: none
-- ALTER SEQUENCE ... RENAME takes ACCESS EXCLUSIVE on the sequence, and every nextval()
-- (every INSERT that draws an id from it) takes ROW EXCLUSIVE: they queue behind it
-- (checked on PostgreSQL 10 to 18).
ALTER SEQUENCE orders_id_seq RENAME TO order_id_seq; -- want: require-lock-timeout
