-- migsafe:pending contract phase of ../../deploy/drop_sessions.sql, written by `migsafe fix`.
-- No runner reads this directory. Run it only after: no deployed version of the application reads or writes sessions.
-- Then make it the next migration: `migsafe fix --promote --write` this file (or the editor's code action).
-- migsafe:after ../../deploy/drop_sessions.sql
-- migsafe:runner sqitch
-- migsafe:name contract
-- migsafe:wait no deployed version of the application reads or writes sessions
-- migsafe:brief
-- migsafe:up
-- Back up the data first: pg_dump --format=custom --table=sessions --file=sessions.dump "$DATABASE_URL"
DROP TABLE sessions;
-- migsafe:down
CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint, token text);
