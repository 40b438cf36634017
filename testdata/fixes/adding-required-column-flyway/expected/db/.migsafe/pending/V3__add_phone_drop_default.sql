-- migsafe:pending contract phase of ../../migration/V3__add_phone.sql, written by `migsafe fix`.
-- No runner reads this directory. Run it only after: application code that sets users.phone in every INSERT.
-- Then make it the next migration: `migsafe fix --promote --write` this file (or the editor's code action).
-- migsafe:after ../../migration/V3__add_phone.sql
-- migsafe:runner flyway
-- migsafe:name drop_default
-- migsafe:wait application code that sets users.phone in every INSERT
-- migsafe:brief
-- migsafe:up
ALTER TABLE users ALTER COLUMN phone DROP DEFAULT;
-- migsafe:down
-- migsafe:todo set the DEFAULT below to the one the migration this phase follows gave users.phone, then delete this line.
ALTER TABLE users ALTER COLUMN phone SET DEFAULT NULL;
