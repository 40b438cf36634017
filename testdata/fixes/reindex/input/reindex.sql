REINDEX (VERBOSE) INDEX users_email_idx; -- fix: require-concurrent-reindex
