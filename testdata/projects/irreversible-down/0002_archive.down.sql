ALTER TABLE orders DROP COLUMN archived;
DROP TABLE audit;
