-- With --base HEAD, 0002 (committed) is deployed: events is an existing table.
CREATE INDEX events_kind_idx ON events (kind); -- want: require-concurrent-index-creation
ALTER TABLE events ADD COLUMN note text NOT NULL; -- want: adding-required-column
-- 0003 itself is not in HEAD's tree: pending. This index build runs while the
-- transaction still holds the ACCESS EXCLUSIVE lock the ALTER above took on events.
CREATE INDEX users_email_idx ON users (email); -- want: require-concurrent-index-creation, statements-after-access-exclusive
ALTER TABLE users ADD COLUMN note text NOT NULL; -- want: adding-required-column
