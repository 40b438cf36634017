CREATE TABLE tokens (id bigint PRIMARY KEY);
ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid(); -- fix: adding-field-with-rewrite
