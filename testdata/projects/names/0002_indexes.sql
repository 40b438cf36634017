CREATE TABLE "Orders" (id bigint, user_id bigint);
-- Quoted "Orders" is the table just created; unquoted orders folds to another, unknown one.
CREATE INDEX ON "Orders" (user_id); -- want: none
CREATE INDEX ON public."Orders" (id); -- want: none
CREATE INDEX ON orders (user_id); -- want: require-concurrent-index-creation
-- "Users" and users are two tables, both from 0001: an index on either is on a table in use.
CREATE INDEX ON "Users" (id); -- want: require-concurrent-index-creation
CREATE INDEX ON public.users (id); -- want: require-concurrent-index-creation
SET search_path TO app, public;
CREATE TABLE scratch (id bigint);
-- scratch was created in app (first on the path), accounts resolves to app.accounts from 0001.
CREATE INDEX ON app.scratch (id); -- want: none
CREATE INDEX ON accounts (id); -- want: require-concurrent-index-creation
