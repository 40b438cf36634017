-- want: none
CREATE TABLE tags (id bigint PRIMARY KEY, name text);
CREATE INDEX tags_name_idx ON tags (name);
ALTER TABLE posts ADD COLUMN tag_id bigint;
