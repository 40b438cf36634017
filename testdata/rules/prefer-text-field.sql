-- config: [rules]
-- config: enable = ["prefer-text-field"]
CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255), bio text, code varchar); -- want: prefer-text-field
ALTER TABLE users ADD COLUMN name character varying(100); -- want: prefer-text-field
ALTER TABLE users ADD COLUMN note text CHECK (length(note) <= 500); -- want: none
