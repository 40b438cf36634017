REINDEX (VERBOSE) INDEX CONCURRENTLY users_email_idx; -- fix: require-concurrent-reindex
