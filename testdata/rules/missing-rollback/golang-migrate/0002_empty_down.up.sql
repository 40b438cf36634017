-- want-file: empty-down-migration
ALTER TABLE users ADD COLUMN bio text;
