-- The down leaves the new column behind and drops a table the up never created.
-- want-file: irreversible-down-migration, irreversible-down-migration
ALTER TABLE posts ADD COLUMN summary text;
CREATE TABLE drafts (id bigint PRIMARY KEY);
