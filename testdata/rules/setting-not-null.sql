-- config: pg_version = 15
ALTER TABLE users ALTER COLUMN phone SET NOT NULL; -- want: setting-not-null

-- A table created earlier in the file is empty.
CREATE TABLE pets (id bigint PRIMARY KEY, name text);
ALTER TABLE pets ALTER COLUMN name SET NOT NULL; -- want: none

-- The safe pattern: from PostgreSQL 12 a validated CHECK spares the scan.
ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;
ALTER TABLE users ALTER COLUMN email SET NOT NULL; -- want: none

-- A CHECK added validated at once also counts (it scanned when it was added).
ALTER TABLE orders ADD CONSTRAINT orders_total_nn CHECK (total IS NOT NULL); -- want: constraint-missing-not-valid
ALTER TABLE orders ALTER COLUMN total SET NOT NULL; -- want: none

-- A NOT VALID check that was never validated does not.
ALTER TABLE orders ADD CONSTRAINT orders_user_nn CHECK (user_id IS NOT NULL) NOT VALID;
ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL; -- want: setting-not-null
