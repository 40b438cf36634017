SET lock_timeout = '5s';
BEGIN;
ALTER TABLE users ADD COLUMN tier text;
-- Quick catalog changes on the same table add nothing worth reporting.
ALTER TABLE users ADD COLUMN plan text; -- want: none
-- A backfill while users is locked against all reads and writes.
UPDATE users SET tier = 'free'; -- want: statements-after-access-exclusive
-- A keyed update is quick.
UPDATE users SET tier = 'pro' WHERE id = 1; -- want: none
-- Waiting for another table's lock keeps users blocked meanwhile.
ALTER TABLE accounts ADD COLUMN note text; -- want: statements-after-access-exclusive
COMMIT;
-- Outside the transaction the lock is gone.
UPDATE users SET plan = 'free'; -- want: none
-- A table created in the transaction is not locked against anyone.
BEGIN;
CREATE TABLE staging (id int, a text);
ALTER TABLE staging ADD COLUMN b text;
UPDATE staging SET a = 'x'; -- want: none
COMMIT;
