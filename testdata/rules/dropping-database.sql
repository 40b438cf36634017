DROP DATABASE analytics; -- want: dropping-database
DROP DATABASE IF EXISTS old_analytics; -- want: dropping-database
CREATE DATABASE reports; -- want: none
