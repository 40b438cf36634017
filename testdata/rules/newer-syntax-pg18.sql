-- config: pg_version = 18
SET lock_timeout = '5s';
-- PostgreSQL 18: virtual generated columns and NOT ENFORCED foreign keys.
ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) VIRTUAL;
-- want-problem: ^Verify: not parsed by the PostgreSQL 16 grammar \(syntax error at or near "VIRTUAL"\): PostgreSQL 18 may accept it
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT ENFORCED;
-- want-problem: ^Verify: not parsed by the PostgreSQL 16 grammar \(syntax error at or near "ENFORCED"\)
-- Lock facts on 18 are 17's, checked by the oracle on PostgreSQL 18; uuidv7() is built in and volatile.
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT uuidv7(); -- want: adding-field-with-rewrite
