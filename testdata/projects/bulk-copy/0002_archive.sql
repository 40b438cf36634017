-- orders is in production (deployed through 0001): copying it in one statement is a bulk copy.
CREATE TABLE orders_archive (id bigint PRIMARY KEY, total numeric);
INSERT INTO orders_archive SELECT * FROM orders; -- want: unbatched-bulk-copy
-- drafts is created by this pending migration: it is empty, so copying it is no bulk copy.
CREATE TABLE drafts (id bigint PRIMARY KEY, total numeric);
INSERT INTO orders_archive SELECT * FROM drafts; -- want: none
