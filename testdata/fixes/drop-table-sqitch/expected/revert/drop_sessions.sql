-- Revert shop:drop_sessions from pg
BEGIN;
COMMIT;
