SET lock_timeout = '5s';
-- Identifiers with multibyte characters before the clause at fault.
ALTER TABLE "ユーザー" ALTER COLUMN "名前" TYPE bigint; -- want: changing-column-type
CREATE INDEX "índice_é" ON "ユーザー" ("名前"); -- want: require-concurrent-index-creation
