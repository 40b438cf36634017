CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx
    ON users (lower(email));
