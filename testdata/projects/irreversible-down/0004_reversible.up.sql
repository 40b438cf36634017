-- A down that undoes exactly what the up made, CREATE TABLE AS included.
CREATE TABLE totals AS SELECT id, total FROM orders;
CREATE INDEX totals_total_idx ON totals (total);
