SET lock_timeout = '5s';
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric, status text, note text, flag bool);
CREATE TABLE customers (id bigint PRIMARY KEY, name text, note text);
CREATE VIEW order_totals AS SELECT id, total FROM orders;
CREATE MATERIALIZED VIEW order_stats AS SELECT status, count(*) AS n FROM orders GROUP BY status;
CREATE VIEW order_notes AS SELECT id, note FROM orders;
CREATE VIEW everything AS SELECT * FROM customers;
-- PostgreSQL 15: "cannot drop column total of table orders because other objects depend on it".
ALTER TABLE orders DROP COLUMN total; -- want: dependent-view
-- "cannot alter type of a column used by a view or rule", with or without CASCADE.
ALTER TABLE orders ALTER COLUMN status TYPE varchar(50); -- want: dependent-view
-- SELECT * read the columns customers had when the view was made, not the later ones.
ALTER TABLE customers DROP COLUMN name; -- want: dependent-view
ALTER TABLE customers ADD COLUMN phone text;
ALTER TABLE customers DROP COLUMN phone; -- want: none
-- No view reads flag; CASCADE takes the view along instead of failing.
ALTER TABLE orders DROP COLUMN flag; -- want: none
ALTER TABLE orders DROP COLUMN note CASCADE; -- want: none
CREATE VIEW customer_notes AS SELECT id, note FROM customers;
DROP TABLE customers; -- want: dependent-view
DROP TABLE orders CASCADE; -- want: none
-- The view goes first and comes back after the change: the safe pattern.
CREATE TABLE items (id bigint PRIMARY KEY, sku text);
CREATE MATERIALIZED VIEW item_skus AS SELECT sku FROM items;
DROP MATERIALIZED VIEW item_skus;
ALTER TABLE items ALTER COLUMN sku TYPE varchar(50); -- want: none
CREATE MATERIALIZED VIEW item_skus AS SELECT sku FROM items;
