-- Dynamic SQL is not replayed: what it names becomes unknown.
DO $$ BEGIN EXECUTE 'ALTER TABLE orders ALTER COLUMN note TYPE text'; END $$; -- want: dynamic-sql
