SET lock_timeout = '5s';
ALTER TABLE users ADD COLUMN phone text NOT NULL; -- want: adding-required-column
ALTER TABLE users ADD COLUMN nickname text; -- want: none
ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true; -- want: none
CREATE TABLE pets (id bigint PRIMARY KEY);
ALTER TABLE pets ADD COLUMN name text NOT NULL; -- want: none
-- Several columns in one statement: each finding points at its own NOT NULL.
-- want: adding-required-column, adding-required-column
ALTER TABLE users ADD COLUMN a text NULL, ADD COLUMN b text NOT NULL, ADD COLUMN c int NOT NULL;
