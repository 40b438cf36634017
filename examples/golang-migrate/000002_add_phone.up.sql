-- Users must give a phone number from now on.
ALTER TABLE users ADD COLUMN phone text NOT NULL;
