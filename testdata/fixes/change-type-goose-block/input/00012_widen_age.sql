-- +goose Up
-- +goose StatementBegin
CREATE TABLE audit (id bigint);
ALTER TABLE users ALTER COLUMN age TYPE bigint; -- fix: changing-column-type
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
ALTER TABLE users ALTER COLUMN age TYPE integer;
DROP TABLE audit;
-- +goose StatementEnd
