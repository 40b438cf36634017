-- One statement: golang-migrate runs it outside a transaction, but two would share one.
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON public.users (email) INCLUDE (id) NULLS NOT DISTINCT;
ALTER TABLE public.users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key; -- fix: adding-unique-constraint
