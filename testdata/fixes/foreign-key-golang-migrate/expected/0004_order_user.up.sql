ALTER TABLE orders ADD COLUMN user_id bigint;
-- fix: adding-foreign-key-constraint
ALTER TABLE orders ADD CONSTRAINT orders_user_id_tenant_id_fkey FOREIGN KEY (user_id, tenant_id) REFERENCES users (id, tenant_id) ON DELETE CASCADE NOT VALID;
