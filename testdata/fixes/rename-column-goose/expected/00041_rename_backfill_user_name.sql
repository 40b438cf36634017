-- +goose NO TRANSACTION
-- +goose Up
-- +goose StatementBegin
-- Batched backfill: each batch commits on its own (COMMIT in a DO block needs PostgreSQL 11+
-- and fails inside a transaction block, so this runs in a migration without one). It is
-- idempotent and resumable: a batch only picks rows that still need the change, so a
-- rerun after a failure continues where it stopped.
DO $migsafe$
DECLARE
  batch_rows bigint;
BEGIN
  LOOP
    UPDATE app.accounts SET user_name = "userName"
    WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM app.accounts
        WHERE (user_name IS DISTINCT FROM "userName")
        LIMIT 1000))
      AND (user_name IS DISTINCT FROM "userName");
    GET DIAGNOSTICS batch_rows = ROW_COUNT;
    EXIT WHEN batch_rows = 0;
    COMMIT;
  END LOOP;
END
$migsafe$;
-- +goose StatementEnd

-- +goose Down
-- Nothing to undo.
