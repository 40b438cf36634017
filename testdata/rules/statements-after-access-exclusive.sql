SET lock_timeout = '5s';
BEGIN;
ALTER TABLE users ADD COLUMN tier text;
-- Quick catalog changes add nothing worth reporting.
ALTER TABLE users ADD COLUMN plan text; -- want: none
ALTER TABLE accounts ADD COLUMN note text; -- want: none
-- A keyed update is quick.
UPDATE users SET tier = 'pro' WHERE id = 1; -- want: mixed-schema-and-data-change
-- A scan under its own ACCESS EXCLUSIVE is reported by its own rules.
ALTER TABLE users ALTER COLUMN plan TYPE varchar(20); -- want: changing-column-type, narrowing-type-change
-- A backfill while users is locked against all reads and writes.
UPDATE users SET tier = 'free'; -- want: statements-after-access-exclusive, unbatched-backfill
-- Reported once per transaction.
UPDATE accounts SET note = ''; -- want: mixed-schema-and-data-change, unbatched-backfill
COMMIT;
BEGIN;
ALTER TABLE users ADD COLUMN level int;
-- An index build would let reads of users through on its own; not under the held lock.
CREATE INDEX users_tier_idx ON users (tier); -- want: statements-after-access-exclusive, require-concurrent-index-creation
COMMIT;
BEGIN;
ALTER TABLE users ADD COLUMN rank int;
-- Work on another table extends the outage on users too.
CREATE INDEX accounts_owner_idx ON accounts (owner); -- want: statements-after-access-exclusive, require-concurrent-index-creation
COMMIT;
-- Outside a transaction the lock is gone.
UPDATE users SET plan = 'free'; -- want: unbatched-backfill
-- A table created in the transaction is not locked against anyone.
BEGIN;
CREATE TABLE staging (id int, a text);
ALTER TABLE staging ADD COLUMN b text;
UPDATE staging SET a = 'x'; -- want: none
COMMIT;
