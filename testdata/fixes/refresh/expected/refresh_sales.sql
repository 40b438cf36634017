REFRESH MATERIALIZED VIEW CONCURRENTLY public.sales_summary; -- fix: require-concurrent-refresh
