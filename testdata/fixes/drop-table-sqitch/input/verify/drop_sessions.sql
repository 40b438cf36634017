-- Verify shop:drop_sessions on pg
SELECT 1 WHERE to_regclass('sessions') IS NULL;
