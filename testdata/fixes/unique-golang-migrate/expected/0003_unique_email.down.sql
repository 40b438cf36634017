DROP INDEX IF EXISTS public.users_email_key;
