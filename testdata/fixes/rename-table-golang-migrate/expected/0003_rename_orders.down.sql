DROP VIEW IF EXISTS orders;
ALTER TABLE purchases RENAME TO orders;
