ALTER TABLE users ADD COLUMN phone varchar(20) CHECK (phone <> ''); -- fix: adding-required-column
