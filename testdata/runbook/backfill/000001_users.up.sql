CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, email_normalized text);
INSERT INTO users SELECT g, 'U' || g || '@Example.com' FROM generate_series(1, 1000) g;
