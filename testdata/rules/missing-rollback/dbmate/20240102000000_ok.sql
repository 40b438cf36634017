-- migrate:up
ALTER TABLE users ADD COLUMN bio text; -- want: none

-- migrate:down
ALTER TABLE users DROP COLUMN bio;
