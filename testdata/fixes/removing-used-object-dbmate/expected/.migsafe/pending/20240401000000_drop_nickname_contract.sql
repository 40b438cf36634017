-- migsafe:pending contract phase of ../../20240401000000_drop_nickname.sql, written by `migsafe fix`.
-- No runner reads this directory. Run it only after: no deployed version of the application reads or writes users.nickname.
-- Then make it the next migration: `migsafe fix --promote --write` this file (or the editor's code action).
-- migsafe:after ../../20240401000000_drop_nickname.sql
-- migsafe:runner dbmate
-- migsafe:name contract
-- migsafe:wait no deployed version of the application reads or writes users.nickname
-- migsafe:brief
-- migsafe:up
-- Back up the data first: psql "$DATABASE_URL" -c "\copy (SELECT * FROM users) TO 'users.csv' CSV HEADER"
ALTER TABLE users DROP COLUMN nickname;
-- migsafe:down
ALTER TABLE users ADD COLUMN nickname text;
