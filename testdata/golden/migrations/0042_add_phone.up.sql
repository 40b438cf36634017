-- Add a phone number to users (commentaire accentué: columns count code points).
ALTER TABLE users ADD COLUMN phone text NOT NULL;
CREATE INDEX CONCURRENTLY users_phone_idx ON users (phone);
