CREATE TABLE logins (id bigint PRIMARY KEY, user_id bigint NOT NULL);
-- fix: require-concurrent-index-creation
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx
    ON users (lower(email));
