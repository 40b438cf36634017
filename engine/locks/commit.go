package locks

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// commitsInBody reports a DO block whose PL/pgSQL body ends the transaction (COMMIT or
// ROLLBACK, as a batch job does per batch). PostgreSQL allows that only when the block
// runs outside a transaction block: in one, or in a multi-statement query, it fails
// with "invalid transaction termination". The body is read with pg_query's PL/pgSQL
// parser by way of a function with the same body.
func commitsInBody(do *pg.DoStmt) bool {
	body, lang := "", "plpgsql"
	for _, a := range do.Args {
		de := a.GetDefElem()
		if de == nil {
			continue
		}
		switch de.Defname {
		case "as":
			body = de.Arg.GetString_().GetSval()
		case "language":
			lang = strings.ToLower(de.Arg.GetString_().GetSval())
		}
	}
	if lang != "plpgsql" || !containsFold(body, "COMMIT") && !containsFold(body, "ROLLBACK") {
		return false
	}
	tag := "$migsafe_body$"
	for strings.Contains(body, tag) {
		tag = "$" + strings.Trim(tag, "$") + "_$"
	}
	js, err := pg.ParsePlPgSqlToJSON("CREATE FUNCTION migsafe_do() RETURNS void LANGUAGE plpgsql AS " + tag + body + tag + ";")
	if err != nil {
		return false
	}
	return strings.Contains(js, `"PLpgSQL_stmt_commit"`) || strings.Contains(js, `"PLpgSQL_stmt_rollback"`)
}

// containsFold reports whether s may contain the upper-case ASCII keyword up written
// in any case (PL/pgSQL's keywords are ASCII, case-insensitive), without an upper-case
// copy of every DO body; the PL/pgSQL parse that follows decides.
func containsFold(s, up string) bool {
	for i := 0; i+len(up) <= len(s); i++ {
		if s[i]|0x20 == up[0]|0x20 && strings.EqualFold(s[i:i+len(up)], up) {
			return true
		}
	}
	return false
}
