CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE products (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, product_id bigint);
CREATE INDEX orders_user_id_idx ON orders (user_id);
