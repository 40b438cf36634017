-- config: [tables]
-- config: flags = 40
SET lock_timeout = '5s';
-- A NOT NULL column added inside a DO block is reported like the top-level statement,
-- on the clause at fault inside the body.
DO $$
BEGIN
  ALTER TABLE users ADD COLUMN phone text NOT NULL; -- want: adding-required-column
END
$$;
-- Every statement rule sees the body, nested in IF, loops and blocks.
DO $migration$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'users_email_idx') THEN
    CREATE INDEX users_email_idx ON users (email); -- want: require-concurrent-index-creation
  END IF;
END
$migration$;
-- A table created in the body is new to the statements after it, as at the top level.
DO $$
BEGIN
  CREATE TABLE pets (id bigint PRIMARY KEY);
  ALTER TABLE pets ADD COLUMN name text NOT NULL; -- want: none
END
$$;
-- PostgreSQL runs the body as a function: CONCURRENTLY fails there whatever the transaction.
DO $$
BEGIN
  CREATE INDEX CONCURRENTLY flags_name_idx ON flags (name); -- want: concurrently-in-transaction
END
$$;
-- The body runs in the DO's transaction: NOT VALID and VALIDATE in one DO share it...
DO $$
BEGIN
  ALTER TABLE orders ADD CONSTRAINT orders_total_pos CHECK (total >= 0) NOT VALID;
  ALTER TABLE orders VALIDATE CONSTRAINT orders_total_pos; -- want: validate-in-same-transaction, statements-after-access-exclusive
END
$$;
-- ... unless the body commits between them (PostgreSQL 11+, DO outside a transaction block).
DO $$
BEGIN
  ALTER TABLE orders ADD CONSTRAINT orders_qty_pos CHECK (qty >= 0) NOT VALID;
  COMMIT;
  ALTER TABLE orders VALIDATE CONSTRAINT orders_qty_pos; -- want: none
END
$$;
-- Inside BEGIN ... COMMIT that COMMIT fails: "invalid transaction termination".
BEGIN;
DO $$
BEGIN
  UPDATE flags SET name = lower(name);
  COMMIT; -- want: concurrently-in-transaction
END
$$;
COMMIT;
-- A COMMIT in a block with an EXCEPTION clause fails on every version (a subtransaction).
DO $$
BEGIN
  BEGIN
    UPDATE flags SET name = upper(name);
    COMMIT; -- want: concurrently-in-transaction
  EXCEPTION WHEN others THEN
    RAISE NOTICE 'skipped';
  END;
END
$$;
-- A '...' body with doubled quotes is read too, positions mapped past the quotes.
DO 'BEGIN UPDATE flags SET name = ''it''''s''; ALTER TABLE users ADD COLUMN note text NOT NULL; END'; -- want: adding-required-column
-- Suppressions work inside the body, or on the line before the DO.
DO $$
BEGIN
  -- migsafe:ignore adding-required-column -- users is empty in every environment
  ALTER TABLE users ADD COLUMN fax text NOT NULL; -- want-suppressed: adding-required-column
END
$$;
-- migsafe:ignore adding-required-column -- users is empty in every environment
DO $$ BEGIN ALTER TABLE users ADD COLUMN pager text NOT NULL; END $$; -- want-suppressed: adding-required-column
