CREATE TABLE orders (id bigint PRIMARY KEY, total numeric, status text);
CREATE VIEW order_totals AS SELECT id, total FROM orders;
