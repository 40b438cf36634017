DROP TABLE legacy_sessions; -- want: dropping-table, removing-used-object
DROP TABLE IF EXISTS old_a, old_b CASCADE; -- want: dropping-table, dropping-table, removing-used-object, removing-used-object
CREATE TABLE scratch (id bigint);
DROP TABLE scratch; -- want: none
