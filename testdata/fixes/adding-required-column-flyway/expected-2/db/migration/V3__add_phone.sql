-- config: deployed_through = "2"
-- migsafe:todo check the DEFAULT that existing rows get, then delete this line.
ALTER TABLE users ADD COLUMN phone varchar(20) DEFAULT '' CONSTRAINT phone_required NOT NULL CHECK (phone <> ''); -- fix: adding-required-column
