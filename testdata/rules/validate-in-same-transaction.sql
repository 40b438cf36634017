BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk; -- want: validate-in-same-transaction
COMMIT;

-- After the commit the lock is gone: validating in a new transaction is the pattern.
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_total_pos CHECK (total >= 0) NOT VALID;
COMMIT;
BEGIN;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_pos; -- want: none
COMMIT;

-- psql -f outside a transaction block: each statement commits on its own.
ALTER TABLE orders ADD CONSTRAINT orders_qty_pos CHECK (qty > 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_qty_pos; -- want: none

-- A table created in the same transaction is empty and unused: nothing to hold up.
BEGIN;
CREATE TABLE pets (id bigint PRIMARY KEY, age int);
ALTER TABLE pets ADD CONSTRAINT pets_age_pos CHECK (age >= 0) NOT VALID;
ALTER TABLE pets VALIDATE CONSTRAINT pets_age_pos; -- want: none
COMMIT;
