SET lock_timeout = '5s';
-- migsafe:ignore require-concurrent-index-creation -- maintenance window, table is idle
CREATE INDEX users_email_idx ON users (email); -- want-suppressed: require-concurrent-index-creation
-- A reasonless ignore suppresses nothing and is itself reported.
-- want-problem: needs a reason
-- want: require-concurrent-index-creation
CREATE INDEX users_name_idx ON users (name); -- migsafe:ignore require-concurrent-index-creation
-- want-problem: unknown rule "no-such-rule"
-- migsafe:ignore no-such-rule -- because
SELECT 1;
-- want-problem: suppresses nothing
-- migsafe:ignore adding-required-column -- nothing here
SELECT 2;
-- The placeholder the editor's ignore action inserts is not a reason.
-- want-problem: replace the <reason> placeholder
-- migsafe:ignore require-concurrent-index-creation -- <reason>
CREATE INDEX users_age_idx ON users (age); -- want: require-concurrent-index-creation
