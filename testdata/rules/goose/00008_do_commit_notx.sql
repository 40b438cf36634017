-- +goose NO TRANSACTION
-- +goose Up
-- Without goose's transaction the DO runs in autocommit, where it may commit.
SET lock_timeout = '5s';
DO $$
BEGIN
  UPDATE flags SET name = lower(name) WHERE id = 1;
  COMMIT; -- want: none
END
$$;

-- +goose Down
SELECT 1;
