ALTER TABLE users DROP COLUMN note;
ALTER TABLE events DROP COLUMN note;
DROP INDEX users_email_idx;
DROP INDEX events_kind_idx;
