-- config: [tables]
-- config: sessions = 10
-- A correctness finding: a small table loses its rows just the same.
DELETE FROM sessions; -- want: delete-without-where
DELETE FROM users; -- want: delete-without-where
DELETE FROM users WHERE id IN (SELECT id FROM users WHERE deleted LIMIT 100); -- want: none
CREATE TABLE staging (id bigint);
DELETE FROM staging; -- want: none
