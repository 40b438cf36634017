-- config: [tables]
-- config: flags = 40
-- A correctness finding: a small table with rows fails just the same.
ALTER TABLE flags ADD COLUMN owner text NOT NULL; -- want: adding-required-column
-- A second column in the same statement is the one at fault.
ALTER TABLE flags ADD COLUMN note text, ADD COLUMN kind text NOT NULL; -- want: adding-required-column
ALTER TABLE flags ADD COLUMN a text NOT NULL DEFAULT '', ADD COLUMN b text NOT NULL; -- want: adding-required-column
