-- config: small_table_rows = 10000
-- config: [tables]
-- config: feature_flags = 40
-- config: users = "500M"
SET lock_timeout = '5s';
-- A table known to be small passes: the build takes milliseconds.
CREATE INDEX flags_name_idx ON feature_flags (name); -- want: none
-- A known large table also gets the replication-lag estimate.
CREATE INDEX users_email_idx ON users (email); -- want: require-concurrent-index-creation, replication-lag
