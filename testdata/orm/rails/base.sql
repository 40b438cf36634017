-- The schema the Rails fixtures run against in the oracle test (and what their
-- statements assume: users and posts exist and are large).
CREATE TABLE users (id bigserial PRIMARY KEY, email character varying, name character varying,
  age integer, legacy text, status character varying, score integer, created_at timestamp);
CREATE TABLE posts (id bigserial PRIMARY KEY, title character varying, user_id bigint, body text);
CREATE TABLE tags (id bigserial PRIMARY KEY, label text);
CREATE INDEX index_users_on_name ON users (name);
CREATE INDEX index_posts_on_title ON posts (title);
-- Two rows for the data-migration fixture, so ActiveRecord's batches run.
CREATE TABLE accounts (id bigserial PRIMARY KEY, status character varying);
INSERT INTO accounts (status) VALUES (NULL), (NULL);
