DROP INDEX users_phone_idx;
ALTER TABLE users DROP COLUMN phone;
