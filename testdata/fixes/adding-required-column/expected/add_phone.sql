ALTER TABLE users
    ADD COLUMN phone text; -- fix: adding-required-column
