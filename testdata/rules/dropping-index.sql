SET lock_timeout = '5s';
-- Every existing index may be used by a query plan or a constraint.
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx; -- want: dropping-index
-- Replacing an index: building the new one first in the same file does not make the
-- old one safe to drop (its queries may not be served by the new one).
CREATE INDEX CONCURRENTLY orders_status_v2_idx ON orders (status, created_at);
DROP INDEX CONCURRENTLY orders_status_v1_idx; -- want: dropping-index
DROP INDEX CONCURRENTLY orders_status_v2_idx; -- want: none
