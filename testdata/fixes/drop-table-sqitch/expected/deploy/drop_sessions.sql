-- Deploy shop:drop_sessions to pg
BEGIN;
COMMIT;
