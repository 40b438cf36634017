-- Two statements in one golang-migrate file run as one implicit transaction.
ALTER TABLE users ADD COLUMN plan text;
UPDATE users SET plan = 'free' WHERE id < 1000; -- want: mixed-schema-and-data-change
