-- +goose Up
-- goose runs the migration in a transaction: the DO block's COMMIT fails inside it.
SET lock_timeout = '5s';
DO $$
BEGIN
  UPDATE flags SET name = lower(name) WHERE id = 1;
  COMMIT; -- want: concurrently-in-transaction
END
$$;

-- +goose Down
SELECT 1;
