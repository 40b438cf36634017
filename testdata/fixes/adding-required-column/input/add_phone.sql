ALTER TABLE users
    ADD COLUMN phone text NOT NULL; -- fix: adding-required-column
