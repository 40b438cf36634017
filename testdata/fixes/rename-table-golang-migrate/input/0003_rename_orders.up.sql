ALTER TABLE orders RENAME TO purchases; -- fix: renaming-table
