CREATE TABLE events (id bigint PRIMARY KEY, user_id bigint, kind text);
