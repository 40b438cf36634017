-- Deploy shop:drop_sessions to pg
BEGIN;
DROP TABLE sessions; -- fix: dropping-table
COMMIT;
