-- config: pg_version = 10
SET lock_timeout = '5s';
-- Before PostgreSQL 11, PL/pgSQL cannot COMMIT or ROLLBACK: the DO fails.
DO $$
BEGIN
  UPDATE flags SET name = lower(name) WHERE id = 1;
  COMMIT; -- want: unsupported-on-version
END
$$;
-- Without transaction control the body runs as on any version.
DO $$
BEGIN
  UPDATE flags SET name = lower(name) WHERE id = 1; -- want: none
END
$$;
