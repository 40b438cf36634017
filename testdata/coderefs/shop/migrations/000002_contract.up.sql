ALTER TABLE users DROP COLUMN nickname;
ALTER TABLE users RENAME COLUMN email TO email_address;
ALTER TABLE accounts DROP COLUMN legacy_code;
ALTER TABLE orders DROP COLUMN coupon_code;
ALTER TABLE users DROP COLUMN legacy_flags;
