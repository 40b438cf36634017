REFRESH MATERIALIZED VIEW public.sales_summary; -- fix: require-concurrent-refresh
