CREATE TABLE users (id bigint PRIMARY KEY, legacy text);
CREATE TABLE old_stuff (id int);
