-- Revert shop:drop_sessions from pg
BEGIN;
CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint, token text);
COMMIT;
