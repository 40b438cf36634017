DROP TABLE old_stuff; -- want: dropping-table, removing-used-object
-- Gone since the statement above: IF EXISTS makes this one do nothing.
DROP TABLE IF EXISTS old_stuff; -- want: none
-- users has no such column in any migration.
ALTER TABLE users DROP COLUMN IF EXISTS never_there; -- want: none
-- nickname was added by 0002, not deployed yet: no deployed code reads it.
ALTER TABLE users RENAME COLUMN nickname TO display_name; -- want: none
ALTER TABLE users DROP COLUMN display_name; -- want: none
-- legacy has been in production since 0001.
ALTER TABLE users DROP COLUMN legacy; -- want: dropping-column, removing-used-object
