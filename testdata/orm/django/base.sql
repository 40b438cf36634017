-- The Django fixtures create their own tables (shop_customer, shop_order, ...) in
-- their first migration; the oracle starts from an empty database.
SELECT 1;
