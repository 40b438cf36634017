-- Batched backfill: each batch commits on its own (COMMIT in a DO block needs PostgreSQL 11+
-- and fails inside a transaction block, so this runs in a migration without one). It is
-- idempotent and resumable: a batch only picks rows that still need the change, so a
-- rerun after a failure continues where it stopped.
DO $migsafe$
DECLARE
  batch_rows bigint;
BEGIN
  LOOP
    UPDATE users SET email_address = email
    WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM users
        WHERE (email_address IS DISTINCT FROM email)
        LIMIT 1000))
      AND (email_address IS DISTINCT FROM email);
    GET DIAGNOSTICS batch_rows = ROW_COUNT;
    EXIT WHEN batch_rows = 0;
    COMMIT;
  END LOOP;
END
$migsafe$;
