-- migsafe.toml says production runs through 0001: 0002 is pending, events new.
CREATE INDEX events_kind_idx ON events (kind); -- want: none
ALTER TABLE events ADD COLUMN note text NOT NULL; -- want: none
CREATE INDEX users_email_idx ON users (email); -- want: require-concurrent-index-creation
ALTER TABLE users ADD COLUMN note text NOT NULL; -- want: adding-required-column
