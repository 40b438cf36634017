SET lock_timeout = '5s';
ALTER TABLE users ADD COLUMN phone text NOT NULL; -- want: adding-required-column
ALTER TABLE users ADD COLUMN nickname text; -- want: none
ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true; -- want: none
CREATE TABLE pets (id bigint PRIMARY KEY);
ALTER TABLE pets ADD COLUMN name text NOT NULL; -- want: none
