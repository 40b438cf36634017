SET LOCAL lock_timeout = '5s';
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_tenant_id_fkey;
