-- A new table's foreign key locks the referenced, existing table against writes.
CREATE TABLE orders_archive (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id)); -- want: require-lock-timeout, foreign-key-missing-index
