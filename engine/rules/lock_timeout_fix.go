package rules

import (
	"fmt"

	ca "github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/migration"
)

// lockTimeoutFixes sets lock_timeout before the statement, so a lock that cannot be
// had at once fails the migration instead of queueing every query behind it. Inside a
// transaction (the runner's, one written in the file, or the implicit one of a file
// sent as one query) it is SET LOCAL, which ends with the transaction; there, when
// every statement of the transaction only takes its lock for a moment, a
// statement_timeout bounds how long one that unexpectedly works under its lock can
// hold it.
func lockTimeoutFixes(s ca.Site) []ca.Fix {
	verb := "SET"
	if s.SharesTx() {
		verb = "SET LOCAL"
	}
	title := verb + " lock_timeout to " + s.Config.LockTimeout + " before this statement"
	brief := verb == "SET LOCAL" && s.Config.StatementTimeout != "" && briefTransaction(s)
	if brief {
		title += ", and statement_timeout to " + s.Config.StatementTimeout
	}
	fix := ca.Fix{Title: title, Kind: "quickfix", Preferred: true, AfterOthers: true}
	if s.TitlesOnly {
		return []ca.Fix{fix} // a report lists the title: the edit is left out
	}
	sets := []string{fmt.Sprintf("%s lock_timeout = %s;", verb, ca.Literal(s.Config.LockTimeout))}
	if brief {
		sets = append(sets, fmt.Sprintf("SET LOCAL statement_timeout = %s;", ca.Literal(s.Config.StatementTimeout)))
	}
	fix.Edits = []ca.Edit{s.Before(sets...)}
	return []ca.Fix{fix}
}

// briefTransaction reports whether the statement and those after it in its
// transaction take their locks only for a moment: no scan, no rewrite, no data change.
func briefTransaction(s ca.Site) bool {
	tx := s.Stmt.Tx
	for _, st := range s.File.Statements {
		if st.Index < s.Stmt.Index || st.Section != migration.Up || st.Node == nil {
			continue
		}
		if st.Tx != tx && !(st.Tx.Kind == migration.NoTx && tx.Kind == migration.ImplicitTx) {
			continue
		}
		if st.Node.GetUpdateStmt() != nil || st.Node.GetDeleteStmt() != nil || st.Node.GetInsertStmt() != nil || st.Node.GetDoStmt() != nil {
			return false
		}
		if a := locks.Classify(st.Node, s.PG(), nil); a.Scan || a.Rewrite {
			return false
		}
	}
	return true
}
