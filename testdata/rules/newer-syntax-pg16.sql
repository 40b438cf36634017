-- config: pg_version = 16
SET lock_timeout = '5s';
-- On PostgreSQL 16 the grammar is the server's: what it rejects fails the migration.
ALTER TABLE orders ALTER COLUMN total SET EXPRESSION AS (price * qty);
-- want-problem: ^syntax error at or near "EXPRESSION"
