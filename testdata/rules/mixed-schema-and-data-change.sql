-- config: [tables]
-- config: flags = 40
BEGIN;
ALTER TABLE users ADD COLUMN email_lower text;
UPDATE users SET email_lower = lower(email) WHERE id < 1000; -- want: mixed-schema-and-data-change
COMMIT;

-- Data first, schema second: the same hazard.
BEGIN;
DELETE FROM orders WHERE id < 100;
ALTER TABLE orders DROP COLUMN legacy; -- want: mixed-schema-and-data-change, dropping-column, removing-used-object
COMMIT;

-- Separate transactions.
BEGIN;
ALTER TABLE accounts ADD COLUMN plan text;
COMMIT;
UPDATE accounts SET plan = 'free' WHERE id < 1000; -- want: none

-- A seed INSERT ... VALUES is not a data change worth flagging.
BEGIN;
ALTER TABLE plans ADD COLUMN tier text;
INSERT INTO plans (id, tier) VALUES (1, 'gold'); -- want: none
COMMIT;

-- A new table and a known small one pass (filling the new table from a table of
-- unknown size is a bulk copy, another rule's finding).
BEGIN;
CREATE TABLE pets (id bigint PRIMARY KEY, name text);
INSERT INTO pets SELECT id, name FROM animals; -- want: unbatched-bulk-copy
ALTER TABLE flags ADD COLUMN owner text;
UPDATE flags SET owner = 'ops'; -- want: none
COMMIT;
