ALTER TABLE users ADD COLUMN token uuid; -- fix: adding-field-with-rewrite
ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();
-- Batched backfill: each batch commits on its own (COMMIT in a DO block needs PostgreSQL 11+
-- and fails inside a transaction block, so this runs in a migration without one). It is
-- idempotent and resumable: a batch only picks rows that still need the change, so a
-- rerun after a failure continues where it stopped.
DO $migsafe$
DECLARE
  batch_rows bigint;
BEGIN
  LOOP
    UPDATE users SET token = gen_random_uuid()
    WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM users
        WHERE (token IS NULL)
        LIMIT 1000))
      AND (token IS NULL);
    GET DIAGNOSTICS batch_rows = ROW_COUNT;
    EXIT WHEN batch_rows = 0;
    COMMIT;
  END LOOP;
END
$migsafe$;
ALTER TABLE users ADD CONSTRAINT users_token_not_null CHECK (token IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_token_not_null;
ALTER TABLE users ALTER COLUMN token SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_token_not_null;
