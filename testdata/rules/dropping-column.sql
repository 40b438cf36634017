ALTER TABLE users DROP COLUMN legacy_flags; -- want: dropping-column, removing-used-object
ALTER TABLE users DROP COLUMN IF EXISTS nickname; -- want: dropping-column, removing-used-object
CREATE TABLE pets (id bigint, name text);
ALTER TABLE pets DROP COLUMN name; -- want: none
