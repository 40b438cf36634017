ALTER TABLE customer RENAME TO customers; -- want: renaming-table
-- The bridge: a view keeps the old name for code still running.
ALTER TABLE account RENAME TO accounts; -- want: none
CREATE VIEW account AS SELECT * FROM accounts;
CREATE TABLE pets_tmp (id bigint);
ALTER TABLE pets_tmp RENAME TO pets; -- want: none
