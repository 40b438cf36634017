CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, total numeric(12,2));
INSERT INTO users SELECT g, 'u' || g || '@example.com' FROM generate_series(1, 100) g;
INSERT INTO orders SELECT g, (g % 100) + 1, g FROM generate_series(1, 1000) g;
