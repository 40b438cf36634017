-- One statement: golang-migrate runs it outside a transaction, but two would share one.
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON public.users (email) INCLUDE (id) NULLS NOT DISTINCT; -- fix: adding-unique-constraint
