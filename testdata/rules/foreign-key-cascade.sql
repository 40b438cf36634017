CREATE TABLE invoices (
  id bigint PRIMARY KEY,
  customer_id bigint REFERENCES customers (id) ON DELETE CASCADE, -- want: foreign-key-cascade
  agent_id bigint REFERENCES agents (id) ON DELETE SET NULL, -- want: foreign-key-cascade
  shop_id bigint REFERENCES shops (id) ON DELETE RESTRICT, -- want: none
  region_id bigint REFERENCES regions (id) ON UPDATE CASCADE -- want: none
);
CREATE INDEX invoices_customer_idx ON invoices (customer_id);
CREATE INDEX invoices_agent_idx ON invoices (agent_id);
CREATE INDEX invoices_shop_idx ON invoices (shop_id);
CREATE INDEX invoices_region_idx ON invoices (region_id);
-- Existing table: the cascade and the validation are separate findings.
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET DEFAULT NOT VALID; -- want: foreign-key-cascade
