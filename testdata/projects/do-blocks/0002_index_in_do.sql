-- The static statements of a DO body are replayed like top-level ones.
DO $$ BEGIN CREATE INDEX orders_user_idx ON orders (user_id); END $$; -- want: require-concurrent-index-creation
