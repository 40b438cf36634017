-- Mixed transactional and non-transactional statements: Flyway refuses the migration
-- unless `mixed` is on (then it runs all of it without a transaction). Once per file.
SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN note text;
CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note); -- want: concurrently-in-transaction
CREATE INDEX CONCURRENTLY orders_seen_idx ON orders (seen); -- want: none
