CREATE OR REPLACE VIEW order_totals AS SELECT id, total, status FROM orders; -- want: require-lock-timeout
