-- migrate:up
-- want-problem: dbmate refuses this migration: it has no '-- migrate:down' block
ALTER TABLE users ADD COLUMN nickname text; -- want: none
