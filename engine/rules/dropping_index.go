package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/migsafe/migsafe/engine/locks"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// DroppingIndex finds DROP INDEX of an index that existed before the migration.
var DroppingIndex = &Rule{
	ID:       "dropping-index",
	Category: IndexDependencies,
	Status:   Flag,
	Severity: Performance,
	Summary:  "DROP INDEX of an existing index: queries or constraints may depend on it",
	Doc: `FLAG: migsafe cannot see the queries that run against the database. If one of them
is planned with this index, it turns into a sequential scan the moment the index is gone
— on a large table, a query that took milliseconds now takes seconds and piles up. An
index may also back a unique constraint or a foreign key's lookups. The author has to
verify, so the finding is a FLAG whose message starts with ` + "`Verify:`" + `.

**How to check.** ` + "`pg_stat_user_indexes.idx_scan`" + ` for the index on every node (primary and
replicas) over a full business cycle; ` + "`pg_constraint.conindid`" + ` for constraints using it;
foreign keys whose referencing columns it leads.

**Safe pattern.** When replacing an index, create the new one (concurrently) in an
earlier migration, confirm plans use it, then drop the old one with
` + "`DROP INDEX CONCURRENTLY`" + `. Keep the ` + "`CREATE INDEX`" + ` statement in the down migration.

**The index's definition** (table, key columns, unique, partial) comes from the schema
catalog the earlier migrations leave, else from the down migration that recreates it.
A unique index also guarantees that no two rows share its key, and ` + "`INSERT ... ON CONFLICT`" + `
on those columns needs it: the message says so. An index that a PRIMARY KEY, UNIQUE or
EXCLUDE constraint owns cannot be dropped at all (PostgreSQL refuses: "cannot drop index
... because constraint ... requires it"), which is a BLOCK: drop the constraint instead.

**With the workspace's code**, when the definition is known, the queries at HEAD that
filter, join, group or sort on its leading column are named: they are the ones it
serves, and dropping it while they run is a BLOCK unless another index of the table
(created earlier, or earlier in this migration) leads with that column.

**Passes when** the index was created earlier in the same migration, or by a migration
that is not deployed yet: no deployed query uses it; or when a later statement of the
same transaction creates its replacement: a btree index on the same table, not partial,
whose key starts with the dropped index's columns in the same order (for a unique index:
unique over exactly those columns). Other sessions never see the table without one: they
wait on the DROP's lock, and the transaction commits both at once (the lock held
meanwhile is ` + "`statements-after-access-exclusive`" + `'s finding).`,
	Check: func(p *Pass) {
		for _, part := range p.Locks.Parts {
			if part.Shape != locks.DropIndex && part.Shape != locks.DropIndexConcurrently {
				continue
			}
			if p.newIndex(part.Other) {
				continue
			}
			start, end := p.Lead(2)
			if _, e, ok := p.KeywordFrom(start, "DROP", "INDEX", "CONCURRENTLY"); ok {
				end = e
			}
			ix := indexDefinition(p, part.Other)
			if ix.constraint == "" && replacedInTransaction(p, ix) {
				continue
			}
			if ix.constraint != "" {
				p.Report(Diagnostic{Start: start, End: end, Status: StatusPtr(Block),
					Message: fmt.Sprintf("DROP INDEX fails: constraint %s on %s owns index %s (PostgreSQL: \"cannot drop index %s because constraint %s on table %s requires it\")", ix.constraint, ix.table, ix.name, ix.name, ix.constraint, ix.table),
					Help:    fmt.Sprintf("Drop the constraint instead (ALTER TABLE %s DROP CONSTRAINT %s), which drops its index; check what relies on it first.", ix.table, ix.constraint)})
				continue
			}
			msg := fmt.Sprintf("no query plan, unique constraint or foreign-key lookup depends on index %s%s: once it is dropped, queries that used it scan the whole table", part.Other, ix.describe())
			if ix.unique && len(ix.cols) > 0 {
				msg += fmt.Sprintf("; it is unique: once it is gone nothing stops two rows with the same (%s), and INSERT ... ON CONFLICT (%s) fails for want of a unique index to infer", strings.Join(ix.cols, ", "), strings.Join(ix.cols, ", "))
			}
			d := Diagnostic{Start: start, End: end, Message: Verify(msg),
				Help: "Check pg_stat_user_indexes.idx_scan on the primary and replicas; when replacing the index, create the new one first, in an earlier migration."}
			p.Report(withIndexCode(p, d, ix))
		}
	},
}

// droppedIndex is what is known of an index a statement drops.
type droppedIndex struct {
	name  string
	id    project.ID // in the catalog; 0 when the definition came from the down
	table string     // "" when unknown
	// cols are the key columns in order; "" for an expression.
	cols            []string
	unique, partial bool
	// constraint is the constraint that owns the index, if any.
	constraint string
}

// indexDefinition reads a dropped index's definition from the catalog before the
// statement, else from the down migration that creates it again.
func indexDefinition(p *Pass, name string) droppedIndex {
	ix := droppedIndex{name: name}
	if rel, ok := p.State.Catalog.Relation(project.TreeName(name)); ok && rel.Kind == project.Index && rel.Index != nil {
		if t, ok := p.State.Catalog.Rel(rel.Index.Table); ok && t.Trust(rel.Origin.Seq) {
			info := rel.Index
			ix.id, ix.table, ix.cols = rel.ID, p.State.Catalog.Spell(t.Name), info.Columns
			ix.unique, ix.partial, ix.constraint = info.Unique, info.Partial, info.Constraint
			return ix
		}
	}
	bare := name[strings.LastIndexByte(name, '.')+1:]
	for _, st := range p.File.Down.Statements {
		is := st.Node.GetIndexStmt()
		if is == nil || !strings.EqualFold(is.Idxname, bare) {
			continue
		}
		ix.table, ix.unique, ix.partial = sqlast.RangeVarName(is.Relation), is.Unique, is.WhereClause != nil
		for _, e := range is.IndexParams {
			ix.cols = append(ix.cols, e.GetIndexElem().GetName())
		}
		break
	}
	return ix
}

// describe is " (on users (email), unique, partial)", or "" when the definition is
// not known.
func (ix droppedIndex) describe() string {
	if ix.table == "" {
		return ""
	}
	cols := make([]string, len(ix.cols))
	for i, c := range ix.cols {
		cols[i] = c
		if c == "" {
			cols[i] = "an expression"
		}
	}
	s := fmt.Sprintf(" (on %s (%s)", ix.table, strings.Join(cols, ", "))
	if ix.unique {
		s += ", unique"
	}
	if ix.partial {
		s += ", partial: only queries whose conditions imply its WHERE used it"
	}
	return s + ")"
}

// replacedInTransaction reports a later statement of the transaction the DROP INDEX
// runs in that creates an index serving whatever the dropped one served: a btree
// index on the same table, not partial, its key leading with the dropped index's key
// columns in order, and, for a unique index, unique over exactly those columns.
func replacedInTransaction(p *Pass, ix droppedIndex) bool {
	if ix.table == "" || len(ix.cols) == 0 || slices.Contains(ix.cols, "") || !p.Stmt.Tx.In() {
		return false
	}
	for _, st := range p.Later() {
		is := st.Node.GetIndexStmt()
		if is == nil || st.Tx != p.Stmt.Tx || st.Section != p.Stmt.Section || is.WhereClause != nil ||
			is.AccessMethod != "" && !strings.EqualFold(is.AccessMethod, "btree") || !p.SameTable(sqlast.RangeVarName(is.Relation), ix.table) {
			continue
		}
		var cols []string
		for _, e := range is.IndexParams {
			cols = append(cols, e.GetIndexElem().GetName())
		}
		if len(cols) < len(ix.cols) || !slices.EqualFunc(cols[:len(ix.cols)], ix.cols, strings.EqualFold) {
			continue
		}
		if ix.unique && (!is.Unique || len(cols) != len(ix.cols)) {
			continue
		}
		return true
	}
	return false
}
