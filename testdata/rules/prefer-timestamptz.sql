-- config: [rules]
-- config: enable = ["prefer-timestamptz"]
CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamp, paid_at timestamp without time zone); -- want: prefer-timestamptz, prefer-timestamptz
ALTER TABLE orders ADD COLUMN shipped_at timestamptz; -- want: none
ALTER TABLE orders ADD COLUMN seen_at timestamp with time zone; -- want: none
ALTER TABLE orders ALTER COLUMN shipped_at TYPE timestamp(3); -- want: prefer-timestamptz
