drop index CONCURRENTLY if exists users_email_idx; -- fix: require-concurrent-index-deletion
