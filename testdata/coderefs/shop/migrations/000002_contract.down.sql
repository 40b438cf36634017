ALTER TABLE users ADD COLUMN legacy_flags int;
ALTER TABLE orders ADD COLUMN coupon_code text;
ALTER TABLE accounts ADD COLUMN legacy_code text;
ALTER TABLE users RENAME COLUMN email_address TO email;
ALTER TABLE users ADD COLUMN nickname text;
