-- +goose Up
ALTER TABLE app.accounts RENAME COLUMN "userName" TO user_name; -- fix: renaming-column

-- +goose Down
ALTER TABLE app.accounts RENAME COLUMN user_name TO "userName";
