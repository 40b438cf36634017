-- migrate:up
CREATE TABLE audit (id bigint PRIMARY KEY);

-- migrate:down
DROP INDEX orders_user_idx;
DROP TABLE audit;
