SET lock_timeout = '5s';
BEGIN;
LOCK TABLE users IN SHARE MODE; -- want: lock-table
COMMIT;
BEGIN;
LOCK TABLE accounts; -- want: lock-table
UPDATE accounts SET balance = 0 WHERE id = 1;
COMMIT;
-- Modes that block neither reads nor writes.
BEGIN;
LOCK TABLE users IN ACCESS SHARE MODE; -- want: none
LOCK TABLE users IN SHARE UPDATE EXCLUSIVE MODE; -- want: none
COMMIT;
-- A table created in this file.
BEGIN;
CREATE TABLE staging (id int);
LOCK TABLE staging IN ACCESS EXCLUSIVE MODE; -- want: none
COMMIT;
