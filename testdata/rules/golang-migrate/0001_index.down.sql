DROP INDEX orders_user_idx;
DROP TABLE things;
