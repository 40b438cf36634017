-- The locks of a DO block are its body's; statement_timestamp() is stable, so neither
-- default rewrites the table.
DO $$
BEGIN
  ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT statement_timestamp();
  ALTER TABLE users ADD COLUMN email_lower text;
  UPDATE users SET email_lower = lower(email);
  CREATE INDEX users_email_lower_idx ON users (email_lower);
END
$$;
ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT statement_timestamp();
