UPDATE users u SET status = 'active', updated = u.created WHERE u.status IS NULL AND u.deleted_at IS NULL; -- fix: unbatched-backfill
