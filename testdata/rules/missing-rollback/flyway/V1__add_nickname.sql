-- Flyway undo files are a paid feature: no finding for their absence.
ALTER TABLE users ADD COLUMN nickname text; -- want: none
