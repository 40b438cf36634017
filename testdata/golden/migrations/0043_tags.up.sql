CREATE TABLE "tägs" (id bigint PRIMARY KEY, name text);
CREATE INDEX "tägs_name_idx" ON "tägs" (name);
-- migsafe:ignore require-concurrent-index-creation -- orders is tiny, checked by hand
CREATE INDEX orders_tag_idx ON orders (tag);
/* ünïcödé */ CREATE INDEX users_name_idx ON users (name);
CREATE INDX broken ON orders (x);
