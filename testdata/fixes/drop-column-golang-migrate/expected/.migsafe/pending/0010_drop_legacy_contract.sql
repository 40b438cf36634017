-- migsafe:pending contract phase of ../../0010_drop_legacy.up.sql, written by `migsafe fix`.
-- No runner reads this directory. Run it only after: no deployed version of the application reads or writes users.legacy_flags.
-- Then make it the next migration: `migsafe fix --promote --write` this file (or the editor's code action).
-- migsafe:after ../../0010_drop_legacy.up.sql
-- migsafe:runner golang-migrate
-- migsafe:name contract
-- migsafe:wait no deployed version of the application reads or writes users.legacy_flags
-- migsafe:brief
-- migsafe:up
-- Back up the data first: psql "$DATABASE_URL" -c "\copy (SELECT * FROM users) TO 'users.csv' CSV HEADER"
ALTER TABLE users DROP COLUMN legacy_flags;
-- migsafe:down
ALTER TABLE users ADD COLUMN legacy_flags integer;
