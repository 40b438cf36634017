ALTER TABLE users ADD COLUMN legacy_login text;
