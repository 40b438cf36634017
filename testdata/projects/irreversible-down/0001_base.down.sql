DROP VIEW big_orders;
DROP TABLE audit;
DROP TABLE orders;
