-- migrate:up
CREATE TABLE audit (id bigint PRIMARY KEY);

-- migrate:down
DROP INDEX IF EXISTS orders_user_idx;
DROP TABLE audit;
