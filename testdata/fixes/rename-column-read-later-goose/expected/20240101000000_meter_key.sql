-- +goose Up
-- +goose NO TRANSACTION
-- Expand/contract instead of RENAME COLUMN slug TO key: code still running during the deploy keeps
-- working. key is added and kept in step with slug by a trigger; the phases that follow fill it,
-- copy slug's indexes and NOT NULL; slug is dropped once no deployed code uses it (.migsafe/pending).
-- +goose StatementBegin
-- migsafe:ignore dynamic-sql -- written by migsafe fix: adds key with the type of slug, read from the catalog when it runs
DO $migsafe$
DECLARE
  tbl constant regclass := 'meters'::regclass;
  col_type text;
  col_not_null boolean;
BEGIN
  SELECT format_type(atttypid, atttypmod), attnotnull INTO col_type, col_not_null
    FROM pg_attribute WHERE attrelid = tbl AND attname = 'slug' AND NOT attisdropped;
  IF col_type IS NULL THEN
    RAISE EXCEPTION 'column % of % does not exist', 'slug', tbl;
  END IF;
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', tbl, 'key', col_type);
  IF col_not_null THEN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I IS NOT NULL) NOT VALID', tbl, 'meters_key_not_null', 'key');
  END IF;
END
$migsafe$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION meters_slug_to_key_sync() RETURNS trigger LANGUAGE plpgsql AS $migsafe$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.key IS NULL THEN NEW.key := NEW.slug; ELSE NEW.slug := NEW.key; END IF;
  ELSIF NEW.slug IS DISTINCT FROM OLD.slug THEN
    NEW.key := NEW.slug;
  ELSIF NEW.key IS DISTINCT FROM OLD.key THEN
    NEW.slug := NEW.key;
  ELSIF NEW.key IS NULL THEN
    NEW.key := NEW.slug;
  END IF;
  RETURN NEW;
END
$migsafe$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER meters_slug_to_key_sync BEFORE INSERT OR UPDATE ON meters FOR EACH ROW EXECUTE FUNCTION meters_slug_to_key_sync();
-- +goose StatementEnd
-- +goose StatementBegin
-- Fill key from slug now, as the statements after it read it: a batch job that commits every batch. It must run outside a transaction
-- (PostgreSQL 11+). Interrupted, it resumes where it stopped when run again; its progress is
-- in migsafe_batch_progress while it runs.
-- migsafe:ignore dynamic-sql -- written by migsafe fix: the batch job's EXECUTE runs this migration's UPDATE over the primary key found when it runs
DO $migsafe$
-- migsafe:batch-job 20240101000000_meter_key: meters.key backfill
DECLARE
  job_name constant text := '20240101000000_meter_key: meters.key backfill';
  batch_size constant bigint := 10000;
  pause constant float8 := 0.05;
  tbl constant regclass := 'meters'::regclass;
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
      EXECUTE format($migsafe_q$WITH batch AS (SELECT meters.%1$I AS migsafe_key FROM meters WHERE ($2::text IS NULL OR meters.%1$I > $2::%2$s) AND (key IS DISTINCT FROM slug) ORDER BY 1 LIMIT $1), changed AS (UPDATE meters SET key = slug FROM batch WHERE meters.%1$I = batch.migsafe_key RETURNING 1) SELECT (SELECT batch.migsafe_key::text FROM batch ORDER BY batch.migsafe_key DESC LIMIT 1), (SELECT count(*) FROM changed)$migsafe_q$, key_col, key_type)
        INTO batch_last, batch_rows USING batch_size, resume_key;
      EXIT WHEN batch_last IS NULL;
    ELSE
      EXECUTE $migsafe_q$WITH changed AS (UPDATE meters SET key = slug WHERE ctid = ANY (ARRAY(SELECT ctid FROM meters WHERE (key IS DISTINCT FROM slug) LIMIT $1)) AND (key IS DISTINCT FROM slug) RETURNING 1) SELECT NULL::text, count(*) FROM changed$migsafe_q$
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
-- +goose StatementEnd
-- fix: renaming-column
ALTER TABLE meters ADD COLUMN name text;
UPDATE meters SET name = key;

-- +goose Down
ALTER TABLE meters DROP COLUMN name;
DROP TRIGGER IF EXISTS meters_slug_to_key_sync ON meters;
DROP FUNCTION IF EXISTS meters_slug_to_key_sync();
ALTER TABLE meters DROP COLUMN IF EXISTS key;
