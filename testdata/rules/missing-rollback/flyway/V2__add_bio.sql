-- An undo file that exists is still checked.
-- want-file: empty-down-migration
ALTER TABLE users ADD COLUMN bio text;
