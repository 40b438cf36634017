CREATE TABLE tokens (id bigint PRIMARY KEY);
ALTER TABLE users ADD COLUMN token uuid; -- fix: adding-field-with-rewrite
ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();
