package codeactions

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine"
)

// renameColumnFixes replaces RENAME COLUMN, which breaks every running query that
// names the old column, by expand/contract: add the new column with the old one's
// type, keep the two in step with a trigger while old and new code run, backfill in
// batches, and drop the old column in a later migration, once no deployed code reads it.
// The batched backfill commits inside a DO block, which needs PostgreSQL 11.
func renameColumnFixes(s site) []engine.Fix {
	r := s.st.Node.GetRenameStmt()
	if r == nil || r.RenameType != pg.ObjectType_OBJECT_COLUMN || r.Relation == nil || r.Subname == "" || r.Newname == "" || s.res.Config.PGVersion < 11 {
		return nil
	}
	table := relation(r.Relation)
	oldCol, newCol := ident(r.Subname), ident(r.Newname)
	sync := ident(constraintName(r.Relation.Relname, []string{r.Subname, "to", r.Newname}, "sync"))
	syncFn := sync
	if sch := r.Relation.Schemaname; sch != "" {
		syncFn = ident(sch) + "." + sync
	}
	expand := []string{
		fmt.Sprintf("-- Expand/contract instead of RENAME COLUMN %s TO %s: code still running during the deploy keeps", oldCol, newCol),
		fmt.Sprintf("-- working. 1) add %s with %s's type (copy its NOT NULL, default, indexes and constraints", newCol, oldCol),
		"-- yourself), kept in step by a trigger; 2) backfill (next migration); 3) deploy code that",
		fmt.Sprintf("-- reads and writes %s; 4) drop %s (last migration).", newCol, oldCol),
	}
	addColumn := []string{
		"DO $migsafe$",
		"BEGIN",
		fmt.Sprintf("  EXECUTE format('ALTER TABLE %%s ADD COLUMN %%I %%s', %s::regclass, %s,", literal(table), literal(r.Newname)),
		fmt.Sprintf("    (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s));", literal(table), literal(r.Subname)),
		"END",
		"$migsafe$;",
	}
	syncFunction := []string{
		fmt.Sprintf("CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $migsafe$", syncFn),
		"BEGIN",
		"  IF TG_OP = 'INSERT' THEN",
		fmt.Sprintf("    IF NEW.%s IS NULL THEN NEW.%s := NEW.%s; ELSE NEW.%s := NEW.%s; END IF;", newCol, newCol, oldCol, oldCol, newCol),
		fmt.Sprintf("  ELSIF NEW.%s IS DISTINCT FROM OLD.%s THEN", oldCol, oldCol),
		fmt.Sprintf("    NEW.%s := NEW.%s;", newCol, oldCol),
		"  ELSE",
		fmt.Sprintf("    NEW.%s := NEW.%s;", oldCol, newCol),
		"  END IF;",
		"  RETURN NEW;",
		"END",
		"$migsafe$;",
	}
	expand = append(expand,
		s.block(strings.Join(addColumn, "\n")),
		s.block(strings.Join(syncFunction, "\n")),
		fmt.Sprintf("CREATE TRIGGER %s BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION %s();", sync, table, syncFn))
	fill := s.block(batched(table, fmt.Sprintf("%s = %s", newCol, oldCol), "", fmt.Sprintf("%s IS DISTINCT FROM %s", newCol, oldCol)))
	contract := []string{
		fmt.Sprintf("-- Contract: run only once every deployed version reads and writes %s.", newCol),
		fmt.Sprintf("DROP TRIGGER %s ON %s;", sync, table),
		fmt.Sprintf("DROP FUNCTION %s();", syncFn),
		fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s;", table, oldCol),
	}
	return []engine.Fix{{
		Title:     fmt.Sprintf("Rename %s to %s by expand/contract: add, sync and backfill %s now, drop %s in a later migration", oldCol, newCol, newCol, oldCol),
		Kind:      "refactor.rewrite",
		Preferred: true,
		Edits:     []engine.Edit{s.replace(strings.Join(expand, "\n"))},
		NewFiles: followUps(s.res, []step{
			{suffix: "backfill_" + r.Newname, up: lines(fill), noTx: true},
			{suffix: "drop_" + r.Subname, up: lines(contract...),
				down: lines(fmt.Sprintf("-- Dropping %s lost its data: re-add it and backfill it from %s to undo.", oldCol, newCol))},
		}),
	}}
}
