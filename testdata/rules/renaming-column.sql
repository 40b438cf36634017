-- config: [tables]
-- config: flags = 40
ALTER TABLE users RENAME COLUMN name TO full_name; -- want: renaming-column
-- Size does not matter: old code breaks on a small table too.
ALTER TABLE flags RENAME COLUMN name TO label; -- want: renaming-column
CREATE TABLE pets (id bigint, nm text);
ALTER TABLE pets RENAME COLUMN nm TO name; -- want: none
-- Expand/contract: add the new column instead.
ALTER TABLE users ADD COLUMN display_name text; -- want: none
