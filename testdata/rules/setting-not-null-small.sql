-- config: [tables]
-- config: flags = 40
-- config: users = "50M"
-- The scan of a small table takes milliseconds.
ALTER TABLE flags ALTER COLUMN name SET NOT NULL; -- want: none
ALTER TABLE users ALTER COLUMN name SET NOT NULL; -- want: setting-not-null
