-- One statement: golang-migrate runs it outside a transaction, but two would share one.
ALTER TABLE public.users
  ADD UNIQUE NULLS NOT DISTINCT (email) INCLUDE (id); -- fix: adding-unique-constraint
