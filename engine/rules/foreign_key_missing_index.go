package rules

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// ForeignKeyMissingIndex finds foreign keys whose referencing columns have no index by
// the end of the file, on tables whose indexes the catalog knows.
var ForeignKeyMissingIndex = &Rule{
	ID:       "foreign-key-missing-index",
	Category: ForeignKeys,
	Status:   Flag,
	Severity: Performance,
	Summary:  "a foreign key's referencing columns have no index",
	Doc: `FLAG: PostgreSQL indexes the referenced key but never the referencing columns.
Without an index, every DELETE or key UPDATE on the parent table scans the child table
to find (or cascade to) referencing rows, under a lock on those rows, and joins from
parent to children scan too. It is a FLAG because a small child table or a parent that
is never deleted from makes the index unnecessary; the author should decide.

**Scope.** migsafe judges tables whose indexes it knows: a table created in this
migration or by an earlier migration of its set, when nothing the replay could not
model (dynamic SQL, a function) has touched it since. An index whose leading columns
are the foreign key's columns satisfies it: one an earlier migration created, a primary
key or UNIQUE constraint, or a CREATE INDEX anywhere later in the file. Foreign keys
on tables that existed before the migrations (or that an unmodelled statement touched)
are not judged: their indexes are not known. Nor is a foreign key re-added on columns
that already had one (dropped and added again to change its actions).

**Safe pattern.** Create the index in the same migration as a new table (it is empty,
so a plain CREATE INDEX is instant); on a table in use, CREATE INDEX CONCURRENTLY in a
migration of its own, before the foreign key.

` + "```sql" + `
-- good
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE INDEX orders_user_id_idx ON orders (user_id);
` + "```",
	Check: func(p *Pass) {
		for _, fk := range foreignKeys(p.Stmt.Node) {
			if !fk.created && !p.IsNew(fk.table) && (!p.State.IndexesKnown(fk.table) || p.State.HasForeignKeyOn(fk.table, fk.cols)) {
				// Indexes unknown; or a foreign key on these columns is there already
				// (dropped and re-added in one statement): nothing changes for lookups.
				continue
			}
			if len(fk.cols) == 0 || p.State.HasIndexOn(fk.table, fk.cols) || indexedInStmt(p.Stmt.Node, fk.cols) || indexedLater(p, fk.table, fk.cols) {
				continue
			}
			start, end := p.ClauseSpan(fk.con.Location)
			msg := fmt.Sprintf("no index on %s (%s) by the end of the migration: deletes and key updates on %s will scan %s for referencing rows",
				fk.table, strings.Join(fk.cols, ", "), sqlast.RangeVarName(fk.con.Pktable), fk.table)
			help := fmt.Sprintf("Add CREATE INDEX ON %s (%s) in this migration (the table is new, so a plain CREATE INDEX is instant).", fk.table, strings.Join(fk.cols, ", "))
			if !fk.created && !p.IsNew(fk.table) {
				help = fmt.Sprintf("Add CREATE INDEX CONCURRENTLY ON %s (%s) in a migration of its own (the table is in use).", fk.table, strings.Join(fk.cols, ", "))
			}
			p.Report(Diagnostic{Start: start, End: end, Message: msg, Help: help})
		}
	},
}

// indexedInStmt reports a PRIMARY KEY or UNIQUE constraint in the statement itself
// whose leading columns are cols.
func indexedInStmt(n *pg.Node, cols []string) bool {
	var keys [][]string
	addCon := func(con *pg.Constraint, col string) {
		if con == nil || (con.Contype != pg.ConstrType_CONSTR_PRIMARY && con.Contype != pg.ConstrType_CONSTR_UNIQUE) {
			return
		}
		if col != "" {
			keys = append(keys, []string{col})
		} else {
			keys = append(keys, nodeStrings(con.Keys))
		}
	}
	addCols := func(cd *pg.ColumnDef) {
		for _, c := range cd.Constraints {
			addCon(c.GetConstraint(), cd.Colname)
		}
	}
	if cs := n.GetCreateStmt(); cs != nil {
		for _, elt := range cs.TableElts {
			if cd := elt.GetColumnDef(); cd != nil {
				addCols(cd)
			}
			addCon(elt.GetConstraint(), "")
		}
	}
	if at := n.GetAlterTableStmt(); at != nil {
		for _, c := range at.Cmds {
			def := c.GetAlterTableCmd().GetDef()
			if cd := def.GetColumnDef(); cd != nil {
				addCols(cd)
			}
			addCon(def.GetConstraint(), "")
		}
	}
	for _, k := range keys {
		if leads(k, cols) {
			return true
		}
	}
	return false
}

// indexedLater reports an index on table leading with cols created after the statement.
func indexedLater(p *Pass, table string, cols []string) bool {
	for _, st := range p.Later() {
		if st.Section != p.Stmt.Section {
			continue
		}
		if is := st.Node.GetIndexStmt(); is != nil && p.SameTable(sqlast.RangeVarName(is.Relation), table) {
			var idx []string
			for _, ip := range is.IndexParams {
				idx = append(idx, ip.GetIndexElem().GetName())
			}
			if leads(idx, cols) {
				return true
			}
		}
		if at := st.Node.GetAlterTableStmt(); at != nil && p.SameTable(sqlast.RangeVarName(at.Relation), table) && indexedInStmt(st.Node, cols) {
			return true
		}
	}
	return false
}

// leads reports whether index columns idx begin with cols, in any order of cols (an
// index on (a, b) serves a foreign key on (b, a) for lookups by both).
func leads(idx, cols []string) bool {
	if len(idx) < len(cols) {
		return false
	}
	want := map[string]bool{}
	for _, c := range cols {
		want[strings.ToLower(c)] = true
	}
	for _, c := range idx[:len(cols)] {
		if !want[strings.ToLower(c)] {
			return false
		}
	}
	return true
}
