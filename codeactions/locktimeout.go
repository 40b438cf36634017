package codeactions

import (
	"fmt"

	"github.com/migsafe/migsafe/engine"
)

// lockTimeoutFixes sets lock_timeout before the statement, so a lock that cannot be
// had at once fails the migration instead of queueing every query behind it.
func lockTimeoutFixes(s site) []engine.Fix {
	set := fmt.Sprintf("SET lock_timeout = %s;", literal(s.res.Config.LockTimeout))
	return []engine.Fix{{
		Title:     fmt.Sprintf("Set lock_timeout to %s before this statement", s.res.Config.LockTimeout),
		Kind:      "quickfix",
		Preferred: true,
		Edits:     []engine.Edit{s.before(set)},
	}}
}
