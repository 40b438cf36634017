CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, nickname varchar(30));
INSERT INTO users SELECT g, 'u' || g || '@example.com', 'nick' || g FROM generate_series(1, 1000) g;
