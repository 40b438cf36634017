ALTER TABLE orders DROP CONSTRAINT orders_user_fk;
ALTER TABLE orders DROP COLUMN jitter;
DROP INDEX orders_created_at_idx;
