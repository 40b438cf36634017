CREATE TABLE logins (id bigint PRIMARY KEY, user_id bigint NOT NULL);
-- fix: require-concurrent-index-creation
