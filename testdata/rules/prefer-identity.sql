-- config: [rules]
-- config: enable = ["prefer-identity"]
CREATE TABLE tags (id bigserial PRIMARY KEY, name text); -- want: prefer-identity
ALTER TABLE tags ADD COLUMN seq serial; -- want: prefer-identity
CREATE TABLE labels (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY); -- want: none
