-- config: [tables]
-- config: flags = 40
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email); -- want: adding-unique-constraint
ALTER TABLE accounts ADD PRIMARY KEY (id); -- want: adding-unique-constraint
-- The safe pattern: build the index concurrently, then attach it.
CREATE UNIQUE INDEX CONCURRENTLY users_name_key ON users (name); -- want: none
ALTER TABLE users ADD CONSTRAINT users_name_key UNIQUE USING INDEX users_name_key; -- want: none
ALTER TABLE flags ADD CONSTRAINT flags_name_key UNIQUE (name); -- want: none
CREATE TABLE pets (id bigint, name text);
ALTER TABLE pets ADD CONSTRAINT pets_pkey PRIMARY KEY (id); -- want: none
-- A UNIQUE or PRIMARY KEY on a column ADD COLUMN adds builds its index over every
-- existing row under ACCESS EXCLUSIVE (checked on PostgreSQL 15), NULLs and all.
ALTER TABLE periods ADD COLUMN iso varchar(50) UNIQUE; -- want: adding-unique-constraint
ALTER TABLE flags ADD COLUMN code text UNIQUE; -- want: none
ALTER TABLE pets ADD COLUMN tag text CONSTRAINT pets_tag_key UNIQUE; -- want: none
