-- events comes from 0002, committed on this branch only (not on main): pending, so
-- new and empty when this migration runs.
CREATE INDEX events_kind_idx ON events (kind); -- want: none
ALTER TABLE events ADD COLUMN note text NOT NULL; -- want: none
-- users comes from 0001, on main: deployed.
CREATE INDEX users_email_idx ON users (email); -- want: require-concurrent-index-creation
ALTER TABLE users ADD COLUMN note text NOT NULL; -- want: adding-required-column
