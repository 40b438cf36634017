ALTER TABLE public.users DROP CONSTRAINT IF EXISTS users_email_key;
