-- The down drops neither the CREATE TABLE AS table (it is not empty: the copy is
-- left behind), and it drops audit, which 0001 made: IF NOT EXISTS created nothing.
-- want-file: irreversible-down-migration, irreversible-down-migration
CREATE TABLE orders_archive AS SELECT * FROM orders;
ALTER TABLE orders ADD COLUMN archived boolean;
CREATE TABLE IF NOT EXISTS audit (id bigint);
