-- The index the DO body of 0002 created serves this foreign key.
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID; -- want: none
-- note is varchar(50) from 0001: a widening.
ALTER TABLE orders ALTER COLUMN note TYPE varchar(100); -- want: none
