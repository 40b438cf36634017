-- config: [tables]
-- config: flags = 40
-- config: orders = "20M"
SET lock_timeout = '5s';
-- The issue's case: a new table filled from a big one in one statement.
CREATE TABLE orders_copy (LIKE orders INCLUDING ALL);
INSERT INTO orders_copy SELECT * FROM orders; -- want: unbatched-bulk-copy, replication-lag
-- An existing table of unknown size counts as large; joins read every source.
INSERT INTO order_totals (user_id, total)
SELECT o.user_id, sum(o.amount) FROM orders o JOIN users u ON u.id = o.user_id GROUP BY 1; -- want: unbatched-bulk-copy, replication-lag
-- A WHERE that is not a batch bound: a FLAG to verify.
INSERT INTO archive SELECT * FROM events WHERE kind = 'old'; -- want: unbatched-bulk-copy
-- Bounded: a key range or a LIMIT, on every branch of a UNION.
INSERT INTO orders_copy SELECT * FROM orders WHERE id >= 1 AND id < 10001 ON CONFLICT DO NOTHING; -- want: none
INSERT INTO orders_copy SELECT * FROM orders ORDER BY id LIMIT 5000; -- want: none
INSERT INTO archive SELECT * FROM events WHERE id < 100 UNION ALL SELECT * FROM events_old LIMIT 10; -- want: none
-- Nothing read from a table: VALUES, constants, set-returning functions, CTEs of those.
INSERT INTO flags (name) VALUES ('a'), ('b'); -- want: none
INSERT INTO flags (name) SELECT 'c'; -- want: none
INSERT INTO numbers (n) SELECT g FROM generate_series(1, 1000) g; -- want: none
WITH names(n) AS (VALUES ('x'), ('y')) INSERT INTO flags (name) SELECT n FROM names; -- want: none
-- A small source, a source created in this file.
INSERT INTO flags_copy SELECT * FROM flags; -- want: none
INSERT INTO orders_copy2 SELECT * FROM orders_copy; -- want: none
