-- migsafe:todo check the DEFAULT that existing rows get, then delete this line.
ALTER TABLE users
    ADD COLUMN phone text DEFAULT '' NOT NULL; -- fix: adding-required-column
