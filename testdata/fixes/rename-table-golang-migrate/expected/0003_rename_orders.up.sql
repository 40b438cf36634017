ALTER TABLE orders RENAME TO purchases; -- fix: renaming-table
-- The view orders keeps code that still uses the old name working (a simple view is updatable);
-- it lists the columns purchases has now. It is dropped in a contract phase once no deployed code uses the old name.
CREATE VIEW orders AS SELECT * FROM purchases;
