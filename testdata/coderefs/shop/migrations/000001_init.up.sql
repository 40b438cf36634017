CREATE TABLE accounts (id bigint PRIMARY KEY, name text, legacy_code text);
CREATE TABLE users (id bigint PRIMARY KEY, account_id bigint, email text, nickname text, legacy_flags int);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, status text, coupon_code text, created_at timestamptz);
CREATE TABLE pets (id bigint PRIMARY KEY, nickname text);
CREATE INDEX orders_status_idx ON orders (status, created_at);
