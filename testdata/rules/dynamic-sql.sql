-- config: [tables]
-- config: flags = 40
SET lock_timeout = '5s';
-- EXECUTE runs SQL built at run time: a FLAG to verify, on the EXECUTE.
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE tablename LIKE 'events_%' LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN source text', t); -- want: dynamic-sql
  END LOOP;
END
$$;
-- FOR ... IN EXECUTE as well.
DO $$
DECLARE r record;
BEGIN
  FOR r IN EXECUTE 'SELECT id FROM ' || quote_ident('flags') LOOP -- want: dynamic-sql
    RAISE NOTICE '%', r.id;
  END LOOP;
END
$$;
-- A body migsafe cannot read is a FLAG on the DO: another language, an escape string.
DO LANGUAGE plpython3u $$ plpy.execute("DROP TABLE flags") $$; -- want: dynamic-sql
DO E'BEGIN UPDATE flags SET name = \'x\'; END'; -- want: dynamic-sql
-- Static SQL only: analysed statement by statement, nothing dynamic to flag.
DO $$
BEGIN
  UPDATE flags SET name = 'x'; -- want: none
  PERFORM pg_notify('migrated', 'flags'); -- want: none
END
$$; -- want: none
