-- config: pg_version = 17
SET lock_timeout = '5s';
-- PostgreSQL 17 syntax the embedded PostgreSQL 16 grammar rejects: a FLAG to verify,
-- located at the token the grammar stopped at, not a BLOCK syntax error.
ALTER TABLE orders ALTER COLUMN total SET EXPRESSION AS (price * qty);
-- want-problem: ^Verify: not parsed by the PostgreSQL 16 grammar \(syntax error at or near "EXPRESSION"\): PostgreSQL 17 may accept it
MERGE INTO totals t USING orders o ON t.id = o.id WHEN MATCHED THEN DELETE RETURNING t.id;
-- want-problem: ^Verify: not parsed by the PostgreSQL 16 grammar \(syntax error at or near "RETURNING"\)
-- What parses is analysed as on any version.
CREATE INDEX orders_total_idx ON orders (total); -- want: require-concurrent-index-creation
-- Scanner errors are not grammar: an unterminated string fails on every version (the
-- want comment comes first: everything after the quote is inside the string).
-- want-problem: ^unterminated quoted string
SELECT 'unterminated;
