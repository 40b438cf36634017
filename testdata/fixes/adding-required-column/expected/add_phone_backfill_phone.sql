-- Existing rows get the DEFAULT of phone: a batch job that commits every batch. It must run outside a transaction
-- (PostgreSQL 11+). Interrupted, it resumes where it stopped when run again; its progress is
-- in migsafe_batch_progress while it runs.
-- migsafe:ignore dynamic-sql -- written by migsafe fix: the batch job's EXECUTE runs this migration's UPDATE over the primary key found when it runs
DO $migsafe$
-- migsafe:batch-job add_phone: users.phone backfill
DECLARE
  job_name constant text := 'add_phone: users.phone backfill';
  batch_size constant bigint := 10000;
  pause constant float8 := 0.05;
  tbl constant regclass := 'users'::regclass;
  key_col text;
  key_type text;
  resume_key text;
  batch_last text;
  batch_rows bigint;
BEGIN
  CREATE TABLE IF NOT EXISTS migsafe_batch_progress (job text PRIMARY KEY, last_key text, rows_done bigint NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now());
  INSERT INTO migsafe_batch_progress (job) VALUES (job_name) ON CONFLICT (job) DO NOTHING;
  SELECT a.attname, format_type(a.atttypid, a.atttypmod) INTO key_col, key_type
    FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
    WHERE i.indrelid = tbl AND i.indisprimary AND i.indnatts = 1;
  COMMIT;
  LOOP
    SET LOCAL lock_timeout = '5s';
    SELECT p.last_key INTO resume_key FROM migsafe_batch_progress p WHERE p.job = job_name;
    IF key_col IS NOT NULL THEN
      EXECUTE format($migsafe_q$WITH batch AS (SELECT users.%1$I AS migsafe_key FROM users WHERE ($2::text IS NULL OR users.%1$I > $2::%2$s) AND (phone IS NULL) ORDER BY 1 LIMIT $1), changed AS (UPDATE users SET phone = DEFAULT FROM batch WHERE users.%1$I = batch.migsafe_key RETURNING 1) SELECT (SELECT batch.migsafe_key::text FROM batch ORDER BY batch.migsafe_key DESC LIMIT 1), (SELECT count(*) FROM changed)$migsafe_q$, key_col, key_type)
        INTO batch_last, batch_rows USING batch_size, resume_key;
      EXIT WHEN batch_last IS NULL;
    ELSE
      EXECUTE $migsafe_q$WITH changed AS (UPDATE users SET phone = DEFAULT WHERE ctid = ANY (ARRAY(SELECT ctid FROM users WHERE (phone IS NULL) LIMIT $1)) AND (phone IS NULL) RETURNING 1) SELECT NULL::text, count(*) FROM changed$migsafe_q$
        INTO batch_last, batch_rows USING batch_size, resume_key;
      EXIT WHEN batch_rows = 0;
    END IF;
    UPDATE migsafe_batch_progress SET last_key = coalesce(batch_last, resume_key), rows_done = rows_done + batch_rows, updated_at = now() WHERE job = job_name;
    COMMIT;
    PERFORM pg_sleep(pause);
  END LOOP;
  SET LOCAL lock_timeout = '5s';
  DELETE FROM migsafe_batch_progress WHERE job = job_name;
  LOCK TABLE migsafe_batch_progress IN ACCESS EXCLUSIVE MODE;
  IF NOT EXISTS (SELECT FROM migsafe_batch_progress) THEN
    DROP TABLE migsafe_batch_progress;
  END IF;
END
$migsafe$;
