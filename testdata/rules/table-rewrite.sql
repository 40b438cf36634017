-- config: [tables]
-- config: feature_flags = 40
SET lock_timeout = '5s';
VACUUM FULL users; -- want: table-rewrite
CLUSTER users USING users_pkey; -- want: table-rewrite
ALTER TABLE users SET TABLESPACE fast_ssd; -- want: table-rewrite
ALTER TABLE users SET UNLOGGED; -- want: table-rewrite
ALTER TABLE users SET LOGGED; -- want: table-rewrite
-- Without a table name: every table.
VACUUM FULL; -- want: table-rewrite
-- Plain VACUUM takes no lock that blocks traffic.
VACUUM users; -- want: none
VACUUM (ANALYZE) users; -- want: none
-- New and small tables.
CREATE TABLE scratch (id int);
ALTER TABLE scratch SET UNLOGGED; -- want: none
CLUSTER feature_flags USING feature_flags_pkey; -- want: none
