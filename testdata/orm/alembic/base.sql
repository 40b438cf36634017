-- Alembic's oracle runs offline (no database); the fixtures assume these tables.
CREATE TABLE users (id bigserial PRIMARY KEY, email varchar, name varchar, age integer, legacy text);
CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint, total numeric, status varchar);
