-- config: [tables]
-- config: search_cache = 10
TRUNCATE search_cache; -- want: truncate-table
TRUNCATE customers CASCADE; -- want: truncate-table
TRUNCATE a, b; -- want: truncate-table, truncate-table
CREATE TABLE staging (id bigint);
TRUNCATE staging; -- want: none
