ALTER TABLE users DROP COLUMN nickname; -- want: removing-used-object, dropping-column
DROP TABLE old_sessions; -- want: removing-used-object, dropping-table
-- Objects created in this file are not used by deployed code yet.
CREATE TABLE tmp_import (id bigint, payload text);
ALTER TABLE tmp_import DROP COLUMN payload; -- want: none
DROP TABLE tmp_import; -- want: none
