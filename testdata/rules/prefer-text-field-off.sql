-- Opt-in rules stay silent unless enabled.
CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255), n int, at timestamp, s serial); -- want: none
