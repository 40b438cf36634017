-- want-file: missing-down-migration
CREATE TABLE notes (id bigint PRIMARY KEY);
