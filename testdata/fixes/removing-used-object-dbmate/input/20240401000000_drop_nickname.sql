-- migrate:up
ALTER TABLE users DROP COLUMN nickname; -- fix: removing-used-object

-- migrate:down
ALTER TABLE users ADD COLUMN nickname text;
