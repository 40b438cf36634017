-- config: [tables]
-- config: users = "50M"
-- Changing rows of a system catalog is catalog surgery, not a backfill: qualified with
-- pg_catalog, or unqualified names of pg_catalog relations (tables and views).
UPDATE pg_catalog.pg_class SET reltuples = 0 WHERE relname = 'users'; -- want: none
UPDATE pg_catalog.pg_database SET datallowconn = true; -- want: none
UPDATE pg_attribute SET atttypmod = 104 WHERE attrelid = 'users'::regclass AND attname = 'name'; -- want: none
UPDATE pg_enum SET enumlabel = 'archived' WHERE enumlabel = 'old'; -- want: none
UPDATE pg_settings SET setting = '1s' WHERE name = 'lock_timeout'; -- want: none
DELETE FROM pg_statistic WHERE starelid = 'users'::regclass; -- want: none
-- A table of the application named like a catalog, in its own schema, is not one.
UPDATE app.pg_class SET hidden = true; -- want: unbatched-backfill
UPDATE users SET plan = 'free'; -- want: unbatched-backfill, replication-lag
