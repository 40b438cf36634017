SET lock_timeout = '5s';
-- want: require-concurrent-index-deletion, dropping-index
DROP INDEX users_email_idx;
DROP INDEX IF EXISTS public.users_name_idx; -- want: require-concurrent-index-deletion, dropping-index
-- CONCURRENTLY is the safe form (the dependency question remains).
DROP INDEX CONCURRENTLY users_phone_idx; -- want: dropping-index

-- An index created earlier in the file: nothing uses it yet.
CREATE TABLE audit (id bigint PRIMARY KEY, user_id bigint);
CREATE INDEX audit_user_idx ON audit (user_id);
DROP INDEX audit_user_idx; -- want: none
CREATE INDEX CONCURRENTLY users_tmp_idx ON users (tmp);
DROP INDEX public.users_tmp_idx; -- want: none
