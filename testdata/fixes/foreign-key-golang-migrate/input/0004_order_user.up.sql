ALTER TABLE orders ADD COLUMN user_id bigint;
-- fix: adding-foreign-key-constraint
ALTER TABLE orders ADD FOREIGN KEY (user_id, tenant_id) REFERENCES users (id, tenant_id) ON DELETE CASCADE;
