-- After 0004 the type of orders.note is unknown: the change may rewrite (Verify:).
ALTER TABLE orders ALTER COLUMN note TYPE varchar(200); -- want: changing-column-type, narrowing-type-change
