DROP SCHEMA reporting CASCADE; -- want: dropping-schema
DROP SCHEMA IF EXISTS archive; -- want: dropping-schema
CREATE SCHEMA scratch;
DROP SCHEMA scratch CASCADE; -- want: none
