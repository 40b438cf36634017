SET lock_timeout = '5s';
CREATE INDEX a_idx ON users (a); -- want: require-concurrent-index-creation
-- want-problem: syntax error at or near "INDX"
CREATE INDX b_idx ON users (b);
-- Statements after the bad one still get their findings.
CREATE INDEX c_idx ON users (c); -- want: require-concurrent-index-creation
ALTER TABLE users ALTER COLUMN id TYPE bigint; -- want: changing-column-type
