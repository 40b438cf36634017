SET lock_timeout = '5s';
CREATE TABLE orders (id bigint PRIMARY KEY, total numeric, status text, code varchar(10));
-- Each refusal below is PostgreSQL 15's. The catalog takes a refused replacement as
-- made, so each case has its own view.
CREATE VIEW v1 AS SELECT id, total, status FROM orders;
-- "cannot drop columns from view"
CREATE OR REPLACE VIEW v1 AS SELECT id, total FROM orders; -- want: replace-view-columns
CREATE VIEW v2 AS SELECT id, total, status FROM orders;
-- "cannot change name of view column "total" to "status""
CREATE OR REPLACE VIEW v2 AS SELECT id, status, total FROM orders; -- want: replace-view-columns
CREATE VIEW v3 AS SELECT id, total, status FROM orders;
-- "cannot change name of view column "total" to "amount""
CREATE OR REPLACE VIEW v3 AS SELECT id, total AS amount, status FROM orders; -- want: replace-view-columns
CREATE VIEW v4 AS SELECT id, total, status FROM orders;
-- "cannot change data type of view column "total" from numeric to integer"
CREATE OR REPLACE VIEW v4 AS SELECT id, total::int AS total, status FROM orders; -- want: replace-view-columns
CREATE VIEW v5 AS SELECT id, total, status FROM orders;
-- A column added at the end is allowed.
CREATE OR REPLACE VIEW v5 AS SELECT id, total, status, code FROM orders; -- want: none
CREATE VIEW v6 AS SELECT id, code FROM orders;
-- "... from character varying(10) to character varying(20)"
CREATE OR REPLACE VIEW v6 AS SELECT id, code::varchar(20) AS code FROM orders; -- want: replace-view-columns
CREATE VIEW v7 AS SELECT id, code FROM orders;
-- The renamed column is the one a replacement must keep.
ALTER VIEW v7 RENAME COLUMN code TO c;
CREATE OR REPLACE VIEW v7 AS SELECT id, code AS c FROM orders; -- want: none
CREATE OR REPLACE VIEW v7 AS SELECT id, code FROM orders; -- want: replace-view-columns
-- CREATE VIEW v (a, b) names the columns.
CREATE VIEW v8 (a, b) AS SELECT id, total FROM orders;
CREATE OR REPLACE VIEW v8 AS SELECT id, total FROM orders; -- want: replace-view-columns
-- A function's column is named after it.
CREATE VIEW v9 AS SELECT id, count(*) FROM orders GROUP BY id;
CREATE OR REPLACE VIEW v9 AS SELECT id, count(*) FROM orders WHERE id > 0 GROUP BY id; -- want: none
CREATE OR REPLACE VIEW v9 AS SELECT id, count(*) AS n FROM orders GROUP BY id; -- want: replace-view-columns
-- * is the table's columns when the view is made: "cannot drop columns from view".
CREATE VIEW v10 AS SELECT * FROM orders;
CREATE OR REPLACE VIEW v10 AS SELECT id FROM orders; -- want: replace-view-columns
CREATE VIEW v11 AS SELECT o.* FROM orders o;
CREATE OR REPLACE VIEW v11 AS SELECT id, total, status, code, now() AS at FROM orders; -- want: none
-- Unknown columns pass: a view the migrations did not make, and * over two relations
-- (which PostgreSQL refuses here: a miss, as the catalog does not expand such a *).
CREATE OR REPLACE VIEW legacy AS SELECT id FROM orders; -- want: none
CREATE VIEW v12 AS SELECT * FROM orders, (SELECT 1 AS one) s;
CREATE OR REPLACE VIEW v12 AS SELECT id FROM orders; -- want: none
-- A view dropped and made again may change anything.
DROP VIEW v1;
CREATE VIEW v1 AS SELECT id FROM orders; -- want: none
