-- Flyway does not recognise REINDEX ... CONCURRENTLY: it runs it in its transaction.
REINDEX INDEX CONCURRENTLY orders_user_idx; -- want: concurrently-in-transaction
