-- migrate:up
-- migsafe: DROP COLUMN users.nickname waits as a contract phase in .migsafe/pending until no deployed version of the application reads or writes users.nickname. -- fix: removing-used-object

-- migrate:down
