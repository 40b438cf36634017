-- +goose Up
-- goose's own transaction holds the ADD's lock through the validation.
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk; -- want: validate-in-same-transaction

-- +goose Down
ALTER TABLE orders DROP CONSTRAINT orders_user_fk;
