DROP INDEX CONCURRENTLY IF EXISTS public.users_email_key;
