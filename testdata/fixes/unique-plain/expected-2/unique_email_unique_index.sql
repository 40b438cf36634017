-- If the build fails it leaves the INVALID index users_email_key: DROP INDEX CONCURRENTLY IF EXISTS users_email_key; then run this again.
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
