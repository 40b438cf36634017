CREATE TABLE users (id bigint PRIMARY KEY, email text, phone text);
ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;
