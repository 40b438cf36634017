package rules

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	ca "github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// Expand/contract, the fixes of renaming-column and changing-column-type: a new column
// next to the old one, kept in step by a trigger while old and new application code
// run side by side, filled by a batch job, given the old column's NOT NULL, default and
// indexes; the old column goes in a contract phase that waits in .migsafe/pending until
// the code that no longer uses it has shipped.

// column is what the expand phase must give the new column of the old one's. What
// the migration history does not say is found on the server when the phase runs.
type column struct {
	table *pg.RangeVar
	old   string
	new   string
	// typ is the new column's type: "" copies the old one's.
	typ string
	// from is the value of the new column for a row, in terms of the old one's value
	// (written with %s); "%s" copies it.
	from string
	// back is the old column's value from the new one's, for writes of new code.
	back string
}

// expandSQL (statements as a phase holds them: inFile marks them for the runner)
// adds the new column, its NOT NULL as a NOT VALID check (new rows get it at
// once through the trigger), and the trigger that keeps both columns in step. The
// default is not copied yet: an insert by old code would then fill the new column with
// the default and the trigger could not tell it from a value new code wrote.
func (c column) expandSQL(s ca.Site) (stmts []string, sync, syncFn, check string) {
	table := ca.Relation(c.table)
	sync = ca.Ident(ca.ConstraintName(c.table.Relname, []string{c.old, "to", c.new}, "sync"))
	syncFn = sync
	if sch := c.table.Schemaname; sch != "" {
		syncFn = ca.Ident(sch) + "." + sync
	}
	check = ca.ConstraintName(c.table.Relname, []string{c.new}, "not_null")
	typ := ca.Literal(c.typ)
	if c.typ == "" {
		typ = "col_type"
	}
	add := []string{
		ca.Dynamic("adds " + c.new + " with the type of " + c.old + ", read from the catalog when it runs"),
		"DO $migsafe$",
		"DECLARE",
		"  tbl constant regclass := " + ca.Literal(table) + "::regclass;",
		"  col_type text;",
		"  col_not_null boolean;",
		"BEGIN",
		"  SELECT format_type(atttypid, atttypmod), attnotnull INTO col_type, col_not_null",
		"    FROM pg_attribute WHERE attrelid = tbl AND attname = " + ca.Literal(c.old) + " AND NOT attisdropped;",
		"  IF col_type IS NULL THEN",
		"    RAISE EXCEPTION 'column % of % does not exist', " + ca.Literal(c.old) + ", tbl;",
		"  END IF;",
		"  EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', tbl, " + ca.Literal(c.new) + ", " + typ + ");",
		"  IF col_not_null THEN",
		"    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I IS NOT NULL) NOT VALID', tbl, " + ca.Literal(check) + ", " + ca.Literal(c.new) + ");",
		"  END IF;",
		"END",
		"$migsafe$;",
	}
	oldCol, newCol := ca.Ident(c.old), ca.Ident(c.new)
	toNew := fmt.Sprintf(c.from, "NEW."+oldCol)
	toOld := fmt.Sprintf(c.back, "NEW."+newCol)
	fn := []string{
		fmt.Sprintf("CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $migsafe$", syncFn),
		"BEGIN",
		"  IF TG_OP = 'INSERT' THEN",
		fmt.Sprintf("    IF NEW.%s IS NULL THEN NEW.%s := %s; ELSE NEW.%s := %s; END IF;", newCol, newCol, toNew, oldCol, toOld),
		fmt.Sprintf("  ELSIF NEW.%s IS DISTINCT FROM OLD.%s THEN", oldCol, oldCol),
		fmt.Sprintf("    NEW.%s := %s;", newCol, toNew),
		fmt.Sprintf("  ELSIF NEW.%s IS DISTINCT FROM OLD.%s THEN", newCol, newCol),
		fmt.Sprintf("    NEW.%s := %s;", oldCol, toOld),
		// A row the backfill has not reached: any UPDATE of it fills the new column,
		// or the NOT VALID CHECK (new IS NOT NULL), enforced on every row written,
		// would fail the running code's UPDATEs until the backfill.
		fmt.Sprintf("  ELSIF NEW.%s IS NULL THEN", newCol),
		fmt.Sprintf("    NEW.%s := %s;", newCol, toNew),
		"  END IF;",
		"  RETURN NEW;",
		"END",
		"$migsafe$;",
	}
	stmts = []string{
		strings.Join(add, "\n"),
		strings.Join(fn, "\n"),
		fmt.Sprintf("CREATE TRIGGER %s BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION %s();", sync, table, syncFn),
	}
	return stmts, sync, syncFn, check
}

// fillNow fills the new column in the expand itself, for a migration whose later
// statements read it: the batch job, or where the migration runs in a transaction
// (the job commits) one UPDATE, as the migration's own statements after it do.
func (c column) fillNow(s ca.Site) string {
	table := ca.Relation(c.table)
	newCol := ca.Ident(c.new)
	value := fmt.Sprintf(c.from, ca.Ident(c.old))
	needs := fmt.Sprintf("%s IS DISTINCT FROM %s", newCol, value)
	if s.SharesTx() {
		return fmt.Sprintf("-- Fill %s now: the statements after it read it, in this migration's transaction, which a batch job cannot run in.\n"+
			"-- migsafe:ignore unbatched-backfill -- written by migsafe fix: the migration's own statements after it read %s in the same transaction\n"+
			"UPDATE %s SET %s = %s WHERE %s;", c.new, c.new, table, newCol, value, needs)
	}
	job := ca.BatchJob(s.Config, ca.Job{Name: jobName(s, table+"."+c.new+" backfill"), Table: table,
		Set: newCol + " = " + value, Needs: needs, Converges: true})
	return ca.BatchJobNote("Fill "+c.new+" from "+c.old+" now, as the statements after it read it") + "\n" + job
}

// phases are what follows the expand: the batch job that fills the new column, the
// copies of the old column's indexes this migration's history shows, its NOT NULL once
// filled, and the contract phase that waits for the deploy.
func (c column) phases(s ca.Site, sync, syncFn, check, wait string, contract []string, contractDown []string) []ca.Phase {
	table := ca.Relation(c.table)
	oldCol, newCol := ca.Ident(c.old), ca.Ident(c.new)
	value := fmt.Sprintf(c.from, oldCol)
	job := ca.BatchJob(s.Config, ca.Job{Name: jobName(s, table+"."+c.new+" backfill"), Table: table,
		Set: newCol + " = " + value, Needs: fmt.Sprintf("%s IS DISTINCT FROM %s", newCol, value), Converges: true})
	phases := []ca.Phase{{Name: "backfill_" + c.new, Up: ca.Lines(ca.BatchJobNote("Fill "+c.new+" from "+c.old), job), NoTx: true}}
	for _, idx := range indexesOn(s, c.table, c.old, c.new) {
		phases = append(phases, ca.Phase{Name: "index_" + idx.name, Up: ca.Lines(idx.create), Down: ca.Lines(idx.drop), NoTx: true})
	}
	notNull := []string{
		"DO $migsafe$",
		"BEGIN",
		fmt.Sprintf("  IF EXISTS (SELECT FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s) THEN", ca.Literal(table), ca.Literal(check)),
		fmt.Sprintf("    ALTER TABLE %s VALIDATE CONSTRAINT %s;", table, ca.Ident(check)),
		"    " + vouchNotNull,
		fmt.Sprintf("    ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;", table, newCol),
		fmt.Sprintf("    ALTER TABLE %s DROP CONSTRAINT %s;", table, ca.Ident(check)),
		"  END IF;",
		"END",
		"$migsafe$;",
	}
	undoNotNull := []string{
		"DO $migsafe$",
		"BEGIN",
		fmt.Sprintf("  IF (SELECT attnotnull FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s) THEN", ca.Literal(table), ca.Literal(c.new)),
		fmt.Sprintf("    ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL;", table, newCol),
		fmt.Sprintf("    ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID;", table, ca.Ident(check), newCol),
		"  END IF;",
		"END",
		"$migsafe$;",
	}
	if s.PG() >= 12 {
		phases = append(phases, ca.Phase{Name: "not_null_" + c.new,
			Up:   ca.Lines("-- The NOT NULL of "+c.old+", if it had one: validated (no write is blocked), then SET NOT NULL uses the check instead of scanning.", strings.Join(notNull, "\n")),
			Down: ca.Lines(strings.Join(undoNotNull, "\n"))})
	}
	guard := c.guard(s)
	phases = append(phases, ca.Phase{Name: "drop_" + c.old, Wait: wait, Brief: true,
		Up:   ca.Lines(append(append([]string{guard, c.copyDefault()}, fmt.Sprintf("DROP TRIGGER %s ON %s;", sync, table), fmt.Sprintf("DROP FUNCTION %s();", syncFn)), contract...)...),
		Down: ca.Lines(contractDown...)})
	return phases
}

// copyDefault gives the new column the old one's default, just before the old one goes.
func (c column) copyDefault() string {
	table := ca.Relation(c.table)
	return strings.Join([]string{
		ca.Dynamic("gives " + c.new + " the default of " + c.old + ", read from the catalog when it runs"),
		"DO $migsafe$",
		"DECLARE",
		"  old_default text;",
		"BEGIN",
		"  SELECT pg_get_expr(d.adbin, d.adrelid) INTO old_default FROM pg_attrdef d",
		"    JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum",
		fmt.Sprintf("    WHERE d.adrelid = %s::regclass AND a.attname = %s;", ca.Literal(table), ca.Literal(c.old)),
		"  IF old_default IS NOT NULL THEN",
		fmt.Sprintf("    EXECUTE format('ALTER TABLE %%s ALTER COLUMN %%I SET DEFAULT %%s', %s::regclass, %s, %s);", ca.Literal(table), ca.Literal(c.new), defaultCast(c)),
		"  END IF;",
		"END",
		"$migsafe$;",
	}, "\n")
}

func defaultCast(c column) string {
	if c.typ == "" {
		return "old_default"
	}
	return fmt.Sprintf("'(' || old_default || ')::' || %s", ca.Literal(c.typ))
}

// guard stops the contract phase before it drops the old column when an index on that
// column has no counterpart on the new one: dropping the column drops its indexes, and
// queries that used them would fall back to scans. The message says what to create.
func (c column) guard(s ca.Site) string {
	table := ca.Relation(c.table)
	return strings.Join([]string{
		"DO $migsafe$",
		"DECLARE",
		"  tbl constant regclass := " + ca.Literal(table) + "::regclass;",
		"  r record;",
		"  want text;",
		"BEGIN",
		"  FOR r IN SELECT i.indexrelid::regclass AS name, pg_get_indexdef(i.indexrelid) AS def",
		"      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid",
		"      WHERE i.indrelid = tbl AND a.attname = " + ca.Literal(c.old) + " AND a.attnum = ANY (i.indkey) LOOP",
		"    want := regexp_replace(substr(r.def, strpos(r.def, ' USING ')), '\\m' || " + ca.Literal(c.old) + " || '\\M', " + ca.Literal(c.new) + ", 'g');",
		"    IF NOT EXISTS (SELECT FROM pg_index j WHERE j.indrelid = tbl",
		"        AND substr(pg_get_indexdef(j.indexrelid), strpos(pg_get_indexdef(j.indexrelid), ' USING ')) = want) THEN",
		"      RAISE EXCEPTION 'index % is on %, which this phase drops, and no index covers % the same way: create one first (CREATE INDEX CONCURRENTLY ... ON % %)', r.name, " + ca.Literal(c.old) + ", " + ca.Literal(c.new) + ", tbl, want;",
		"    END IF;",
		"  END LOOP;",
		"END",
		"$migsafe$;",
	}, "\n")
}

// copiedIndex is an index on the old column, rewritten onto the new one.
type copiedIndex struct {
	name, create, drop string
}

// indexesOn lists the indexes of table that use column, as the migration's history
// shows them: today the statements before this one in its file. (engine/project's
// schema catalog will give the indexes of the earlier migrations too; the contract
// phase's guard stops a drop that would lose one it did not know.)
func indexesOn(s ca.Site, table *pg.RangeVar, col, newName string) []copiedIndex {
	var out []copiedIndex
	for _, st := range s.File.Statements {
		if st.Index >= s.Stmt.Index {
			break
		}
		is := st.Node.GetIndexStmt()
		if is == nil || !strings.EqualFold(sqlast.RangeVarName(is.Relation), sqlast.RangeVarName(table)) || is.Idxname == "" {
			continue
		}
		cp := proto.Clone(is).(*pg.IndexStmt)
		uses := false
		for _, p := range cp.IndexParams {
			if ie := p.GetIndexElem(); ie != nil && strings.EqualFold(ie.Name, col) {
				ie.Name, uses = newName, true
			}
		}
		if !uses || mentions(cp.WhereClause, col) {
			continue
		}
		name := strings.Replace(is.Idxname, col, newName, 1)
		if name == is.Idxname {
			name = is.Idxname + "_" + newName
		}
		cp.Idxname, cp.Concurrent, cp.IfNotExists = name, true, false
		create, err := pg.Deparse(&pg.ParseResult{Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_IndexStmt{IndexStmt: cp}}}}})
		if err != nil {
			continue
		}
		out = append(out, copiedIndex{name: name, create: create + ";",
			drop: "DROP INDEX CONCURRENTLY IF EXISTS " + qualifiedIndex(table, ca.Ident(name)) + ";"})
	}
	return out
}

// mentions reports whether an expression reads column.
func mentions(n *pg.Node, column string) bool {
	return n != nil && ca.Contains(n, func(x *pg.Node) bool {
		cr := x.GetColumnRef()
		return cr != nil && strings.EqualFold(sqlast.LastName(cr.Fields), column)
	})
}

// inFile marks statements with bodies for a runner that would split them (goose), as
// they go into the migration itself; phases are marked by the layout.
func inFile(s ca.Site, stmts []string) []string {
	out := make([]string, len(stmts))
	for i, st := range stmts {
		out[i] = s.Block(st)
	}
	return out
}
