SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '15s';
ALTER TABLE public.users DROP CONSTRAINT IF EXISTS users_email_key;
