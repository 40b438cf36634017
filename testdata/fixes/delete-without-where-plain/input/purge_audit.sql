DELETE FROM audit_log; -- fix: delete-without-where
