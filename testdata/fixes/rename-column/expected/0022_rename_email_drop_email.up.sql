SET lock_timeout = '5s';
-- Contract: run only once every deployed version reads and writes email_address.
DROP TRIGGER users_email_to_email_address_sync ON users;
DROP FUNCTION users_email_to_email_address_sync();
ALTER TABLE users DROP COLUMN email;
