-- re-adds the column as text, nullable, without its default: not what the column was
ALTER TABLE users ADD COLUMN nickname text;
