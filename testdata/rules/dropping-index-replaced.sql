-- config: [tables]
-- config: invoices = 40
-- config: refunds = 40
-- config: orders = 40
-- config: users = 40
-- +goose Up
SET LOCAL lock_timeout = '5s';
-- Replaced later in the same transaction by an index that serves the same queries:
-- other sessions never see the table without one.
DROP INDEX invoices_customer_id; -- want: require-concurrent-index-deletion
CREATE INDEX invoices_customer_id ON invoices (customer_id, created_at);
DROP INDEX refunds_id; -- want: require-concurrent-index-deletion
CREATE UNIQUE INDEX refunds_id ON refunds (id);
-- Not a replacement: a partial index, another column order, a unique index over more
-- columns than the unique one dropped.
DROP INDEX orders_ref; -- want: dropping-index, require-concurrent-index-deletion
CREATE INDEX orders_ref ON orders (ref) WHERE deleted_at IS NULL;
DROP INDEX orders_shop_status; -- want: dropping-index, require-concurrent-index-deletion
CREATE INDEX orders_status_shop ON orders (status, shop_id);
DROP INDEX users_email_key; -- want: dropping-index, require-concurrent-index-deletion
CREATE UNIQUE INDEX users_email_deleted_key ON users (email, deleted_at);

-- +goose Down
DROP INDEX users_email_deleted_key;
CREATE UNIQUE INDEX users_email_key ON users (email);
DROP INDEX orders_status_shop;
CREATE INDEX orders_shop_status ON orders (shop_id, status);
DROP INDEX orders_ref;
CREATE INDEX orders_ref ON orders (ref);
DROP INDEX refunds_id;
CREATE INDEX refunds_id ON refunds (id);
DROP INDEX invoices_customer_id;
CREATE INDEX invoices_customer_id ON invoices (customer_id);
