-- Users must give a phone number from now on.
ALTER TABLE users ADD COLUMN phone text NOT NULL;
CREATE INDEX users_email_idx ON users (email);
