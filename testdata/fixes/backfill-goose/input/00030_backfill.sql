-- +goose Up
UPDATE users SET email = lower(email); -- fix: unbatched-backfill
-- +goose Down
