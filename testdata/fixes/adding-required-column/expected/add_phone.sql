ALTER TABLE users
    ADD COLUMN phone text; -- fix: adding-required-column
-- migsafe:todo set the DEFAULT below to the value existing rows of users get for phone, as do rows inserted by code that does not set it (NULL fails the NOT NULL that follows), then delete this line.
ALTER TABLE users ALTER COLUMN phone SET DEFAULT NULL;
