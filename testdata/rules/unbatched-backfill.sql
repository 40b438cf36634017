-- config: [tables]
-- config: flags = 40
-- config: users = "50M"
-- No WHERE at all on a large table: BLOCK.
UPDATE users SET email_lower = lower(email); -- want: unbatched-backfill, replication-lag
-- Unknown size counts as large.
UPDATE orders SET status = 'new'; -- want: unbatched-backfill
-- A WHERE that is not a batch bound: FLAG, verify.
UPDATE users SET email_lower = lower(email) WHERE email_lower IS NULL; -- want: unbatched-backfill, replication-lag
DELETE FROM sessions WHERE expired; -- want: unbatched-backfill
-- Batched: a key range, or an IN subquery with LIMIT.
UPDATE users SET email_lower = lower(email) WHERE id >= 1 AND id < 5001 AND email_lower IS NULL; -- want: none
UPDATE users SET email_lower = lower(email) WHERE id BETWEEN $1 AND $2; -- want: none
UPDATE users SET email_lower = lower(email)
WHERE id IN (SELECT id FROM users WHERE email_lower IS NULL ORDER BY id LIMIT 5000); -- want: none
DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expired LIMIT 1000); -- want: none
-- A known small table, and a table created in this file.
UPDATE flags SET enabled = false; -- want: none
CREATE TABLE pets (id bigint PRIMARY KEY, name text);
UPDATE pets SET name = 'x'; -- want: none
-- A primary-key lookup or a short key list touches a bounded set of rows.
UPDATE users SET plan = 'pro' WHERE id = 42; -- want: none
DELETE FROM users WHERE id IN (1, 2, 3); -- want: none
