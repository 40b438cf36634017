-- +goose Up

-- +goose Down
DROP INDEX users_email_idx;
