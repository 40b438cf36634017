DROP TRIGGER IF EXISTS users_email_to_email_address_sync ON users;
DROP FUNCTION IF EXISTS users_email_to_email_address_sync();
ALTER TABLE users DROP COLUMN IF EXISTS email_address;
