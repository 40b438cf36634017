ALTER TABLE orders ALTER COLUMN total TYPE numeric(10,2);
