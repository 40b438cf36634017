CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, nickname varchar(30) NOT NULL DEFAULT '');
INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 100) g;
