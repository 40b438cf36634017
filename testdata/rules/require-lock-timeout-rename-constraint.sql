-- ALTER INDEX ... RENAME takes SHARE UPDATE EXCLUSIVE on the index from PostgreSQL 12,
-- which blocks no query: no timeout needed.
ALTER INDEX users_email_idx RENAME TO users_email_key; -- want: none
-- RENAME CONSTRAINT takes ACCESS EXCLUSIVE on the table (checked on PostgreSQL 15),
-- even for a constraint whose index it renames.
ALTER TABLE users RENAME CONSTRAINT users_email_idx TO users_email_key; -- want: require-lock-timeout
