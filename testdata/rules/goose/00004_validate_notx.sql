-- +goose NO TRANSACTION
-- +goose Up
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk; -- want: none

-- +goose Down
ALTER TABLE orders DROP CONSTRAINT orders_user_fk;
