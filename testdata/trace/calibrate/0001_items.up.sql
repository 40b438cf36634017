CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE items (
    id bigint PRIMARY KEY,
    account_id bigint NOT NULL,
    amount int NOT NULL,
    note text,
    created_at timestamptz NOT NULL
);
CREATE INDEX items_account_idx ON items (account_id);
