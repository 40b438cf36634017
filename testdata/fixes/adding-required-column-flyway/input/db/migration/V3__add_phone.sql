-- config: deployed_through = "2"
ALTER TABLE users ADD COLUMN phone varchar(20) CONSTRAINT phone_required NOT NULL CHECK (phone <> ''); -- fix: adding-required-column
