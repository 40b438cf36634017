-- Forgets the index the up migration created.
ALTER TABLE orders DROP CONSTRAINT orders_user_fk;
ALTER TABLE orders DROP COLUMN jitter;
