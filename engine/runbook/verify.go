package runbook

import (
	"fmt"
	"regexp"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// When is when a verification query runs.
type When string

const (
	// BeforeUp queries capture values (row counts) the later ones compare with; psql
	// keeps them with \gset, the tracer substitutes them.
	BeforeUp  When = "before"
	AfterUp   When = "after-up"
	AfterDown When = "after-down"
)

// Query is one verification query. A check returns one row with a boolean ok and a
// text detail; a capture returns one row whose columns name psql variables.
type Query struct {
	Name string `json:"name"`
	When When   `json:"phase"`
	SQL  string `json:"sql"`
	// Capture is set on a BeforeUp query: the variable it sets.
	Capture string `json:"capture,omitempty"`
}

// Verification is the queries that prove a migration did what it says, after the up
// migration and after the down.
type Verification struct {
	Before    []Query `json:"before"`
	AfterUp   []Query `json:"afterUp"`
	AfterDown []Query `json:"afterDown"`
}

// All is every query in the order they run.
func (v *Verification) All() []Query {
	return append(append(append([]Query{}, v.Before...), v.AfterUp...), v.AfterDown...)
}

// verification builds the queries from the up statements and what the catalog knew
// before each of them, and after them all.
func verification(steps []*stmt, catalogAfter *project.Catalog, hasDown bool) Verification {
	var v Verification
	after := afterUp(steps, catalogAfter)
	for _, f := range after.list() {
		if q, ok := check(f, AfterUp); ok {
			v.AfterUp = append(v.AfterUp, q)
		}
	}
	if hasDown {
		for _, f := range beforeUp(steps).list() {
			if q, ok := check(f, AfterDown); ok {
				v.AfterDown = append(v.AfterDown, q)
			}
		}
	}
	for _, t := range unchangedRows(steps) {
		name := captureName(t)
		v.Before = append(v.Before, Query{Name: "rows of " + t + " before the migration", When: BeforeUp, Capture: name,
			SQL: fmt.Sprintf("SELECT count(*) AS %s FROM %s", name, relText(t))})
		cmp := func(p When) Query {
			return Query{Name: fmt.Sprintf("%s still has every row", t), When: p,
				SQL: fmt.Sprintf("SELECT count(*) = :%s AS ok, count(*) || ' rows, ' || :%s || ' before' AS detail FROM %s", name, name, relText(t))}
		}
		v.AfterUp = append(v.AfterUp, cmp(AfterUp))
		if hasDown {
			v.AfterDown = append(v.AfterDown, cmp(AfterDown))
		}
	}
	return v
}

var nonWord = regexp.MustCompile(`[^a-z0-9_]+`)

// captureName is the psql variable holding a table's row count.
func captureName(table string) string {
	return "rows_" + strings.Trim(nonWord.ReplaceAllString(strings.ToLower(table), "_"), "_")
}

// check turns a fact into its query; ok is false for a fact no query can check (an
// unnamed CHECK constraint).
func check(f *fact, p When) (Query, bool) {
	rel := literal(relText(f.table))
	switch f.kind {
	case tableFact:
		if f.exists {
			return Query{Name: "table " + f.table + " exists", When: p,
				SQL: fmt.Sprintf("SELECT to_regclass(%s) IS NOT NULL AS ok, coalesce(to_regclass(%s)::text, 'missing') AS detail", rel, rel)}, true
		}
		return Query{Name: "table " + f.table + " does not exist", When: p,
			SQL: fmt.Sprintf("SELECT to_regclass(%s) IS NULL AS ok, coalesce(to_regclass(%s)::text || ' still exists', 'absent') AS detail", rel, rel)}, true
	case columnFact:
		where := fmt.Sprintf("a.attrelid = to_regclass(%s) AND a.attname = %s AND a.attnum > 0 AND NOT a.attisdropped", rel, literal(f.name))
		if !f.exists {
			return Query{Name: fmt.Sprintf("column %s.%s does not exist", f.table, f.name), When: p,
				SQL: fmt.Sprintf("SELECT count(*) = 0 AS ok, CASE WHEN count(*) = 0 THEN 'absent' ELSE 'still exists' END AS detail FROM pg_attribute a WHERE %s", where)}, true
		}
		var conds, says []string
		if f.typ != "" {
			conds = append(conds, fmt.Sprintf("format_type(a.atttypid, a.atttypmod) = %s", literal(f.typ)))
			says = append(says, f.typ)
		}
		if f.notNull != nil {
			conds = append(conds, fmt.Sprintf("a.attnotnull = %t", *f.notNull))
			says = append(says, map[bool]string{true: "NOT NULL", false: "nullable"}[*f.notNull])
		}
		if f.hasDefault != nil {
			conds = append(conds, fmt.Sprintf("(d.adbin IS NOT NULL) = %t", *f.hasDefault))
			says = append(says, map[bool]string{true: "with a default", false: "without a default"}[*f.hasDefault])
		}
		name := fmt.Sprintf("column %s.%s exists", f.table, f.name)
		if len(says) > 0 {
			name += ": " + strings.Join(says, ", ")
		}
		if len(conds) == 0 {
			conds = []string{"true"}
		}
		return Query{Name: name, When: p, SQL: fmt.Sprintf(
			"SELECT coalesce(bool_and(%s), false) AS ok, coalesce(max(format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')), 'missing') AS detail FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE %s",
			strings.Join(conds, " AND "), where)}, true
	case indexFact:
		if f.name != "" {
			idx := literal(relText(f.name))
			if !f.exists {
				return Query{Name: "index " + f.name + " does not exist", When: p,
					SQL: fmt.Sprintf("SELECT to_regclass(%s) IS NULL AS ok, coalesce(to_regclass(%s)::text || ' still exists', 'absent') AS detail", idx, idx)}, true
			}
			conds, says := []string{"i.indisvalid"}, []string{}
			if f.table != "" && len(f.cols) > 0 {
				conds = append(conds, fmt.Sprintf("i.indrelid = to_regclass(%s)", rel),
					columnsMatch("i.indrelid", fmt.Sprintf("(i.indkey::int2[])[0:%d]", len(f.cols)-1), f.cols))
				says = append(says, fmt.Sprintf("on %s (%s)", f.table, strings.Join(f.cols, ", ")))
			}
			if f.unique != nil {
				conds = append(conds, fmt.Sprintf("i.indisunique = %t", *f.unique))
				says = append(says, map[bool]string{true: "unique", false: "not unique"}[*f.unique])
			}
			if f.partial != nil {
				conds = append(conds, fmt.Sprintf("(i.indpred IS NOT NULL) = %t", *f.partial))
				says = append(says, map[bool]string{true: "partial", false: "on every row"}[*f.partial])
			}
			name := "index " + f.name + " exists and is valid"
			if len(says) > 0 {
				name += ": " + strings.Join(says, ", ")
			}
			return Query{Name: name, When: p,
				SQL: fmt.Sprintf("SELECT coalesce(bool_and(%s), false) AS ok, coalesce(max(CASE WHEN i.indisvalid THEN '' ELSE 'INVALID (drop it and build it again): ' END || pg_get_indexdef(i.indexrelid)), 'missing') AS detail FROM pg_index i WHERE i.indexrelid = to_regclass(%s)", strings.Join(conds, " AND "), idx)}, true
		}
		cols := columnsMatch("i.indrelid", "i.indkey::int2[]", f.cols)
		if !f.exists {
			return Query{Name: fmt.Sprintf("no index on %s (%s)", f.table, strings.Join(f.cols, ", ")), When: p,
				SQL: fmt.Sprintf("SELECT count(*) = 0 AS ok, coalesce(string_agg(i.indexrelid::regclass::text, ', '), 'absent') AS detail FROM pg_index i WHERE i.indrelid = to_regclass(%s) AND %s", rel, cols)}, true
		}
		return Query{Name: fmt.Sprintf("a valid index on %s (%s) exists", f.table, strings.Join(f.cols, ", ")), When: p,
			SQL: fmt.Sprintf("SELECT coalesce(bool_or(i.indisvalid), false) AS ok, coalesce(string_agg(i.indexrelid::regclass::text || CASE WHEN i.indisvalid THEN ' valid' ELSE ' INVALID' END, ', '), 'missing') AS detail FROM pg_index i WHERE i.indrelid = to_regclass(%s) AND %s", rel, cols)}, true
	case constraintFact:
		var where, what string
		switch {
		case f.name != "":
			where = fmt.Sprintf("c.conrelid = to_regclass(%s) AND c.conname = %s", rel, literal(f.name))
			what = "constraint " + f.name + " on " + f.table
		case len(f.cols) > 0 && f.contype != "":
			where = fmt.Sprintf("c.conrelid = to_regclass(%s) AND c.contype = %s AND %s", rel, literal(f.contype), columnsMatch("c.conrelid", "c.conkey", f.cols))
			what = fmt.Sprintf("%s constraint on %s (%s)", contypeNames[f.contype], f.table, strings.Join(f.cols, ", "))
		default:
			return Query{}, false
		}
		if !f.exists {
			return Query{Name: what + " does not exist", When: p,
				SQL: fmt.Sprintf("SELECT count(*) = 0 AS ok, coalesce(string_agg(c.conname, ', ') || ' still exists', 'absent') AS detail FROM pg_constraint c WHERE %s", where)}, true
		}
		cond, name := "true", what+" exists"
		if f.validated != nil {
			cond = fmt.Sprintf("c.convalidated = %t", *f.validated)
			name += map[bool]string{true: " and is validated", false: " (NOT VALID until validated)"}[*f.validated]
		}
		return Query{Name: name, When: p, SQL: fmt.Sprintf(
			"SELECT coalesce(bool_and(%s), false) AS ok, coalesce(max(CASE WHEN c.convalidated THEN 'validated' ELSE 'NOT VALID' END || ': ' || pg_get_constraintdef(c.oid)), 'missing') AS detail FROM pg_constraint c WHERE %s", cond, where)}, true
	case noNullsFact:
		return Query{Name: fmt.Sprintf("no NULL left in %s.%s after the backfill", f.table, f.name), When: p,
			SQL: fmt.Sprintf("SELECT count(*) = 0 AS ok, count(*) || ' rows still NULL' AS detail FROM %s WHERE %s IS NULL", relText(f.table), ident(f.name))}, true
	}
	return Query{}, false
}

var contypeNames = map[string]string{"p": "primary key", "u": "unique", "f": "foreign key", "c": "check", "x": "exclusion"}

// columnsMatch is a condition: the attnums in keys (of relation rel) name cols, in order.
func columnsMatch(rel, keys string, cols []string) string {
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = literal(c)
	}
	return fmt.Sprintf("(SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(%s) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.attnum) = ARRAY[%s]::text[]", keys, rel, strings.Join(quoted, ", "))
}

// literal quotes a string for SQL.
func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

var plainIdent = regexp.MustCompile(`^[a-z_][a-z0-9_$]*$`)

// ident quotes a name for SQL when it needs it.
func ident(s string) string {
	if plainIdent.MatchString(s) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// relText is a relation name as SQL: each part quoted when it needs it.
func relText(name string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = ident(p)
	}
	return strings.Join(parts, ".")
}

// unchangedRows are the existing tables the migration changes without deleting rows:
// their row counts must be the same after it (and after its down).
func unchangedRows(steps []*stmt) []string {
	created, deleted := map[string]bool{}, map[string]bool{}
	var touched []string
	seen := map[string]bool{}
	for _, s := range steps {
		n := s.node
		var t string
		switch {
		case n.GetCreateStmt() != nil:
			created[lower(sqlast.RangeVarName(n.GetCreateStmt().Relation))] = true
		case n.GetCreateTableAsStmt() != nil && n.GetCreateTableAsStmt().Into != nil:
			created[lower(sqlast.RangeVarName(n.GetCreateTableAsStmt().Into.Rel))] = true
		case n.GetDropStmt() != nil:
			for _, obj := range n.GetDropStmt().Objects {
				deleted[lower(sqlast.ObjectName(obj))] = true
			}
		case n.GetTruncateStmt() != nil:
			for _, r := range n.GetTruncateStmt().Relations {
				deleted[lower(sqlast.RangeVarName(r.GetRangeVar()))] = true
			}
		case n.GetDeleteStmt() != nil:
			deleted[lower(sqlast.RangeVarName(n.GetDeleteStmt().Relation))] = true
		case n.GetRenameStmt() != nil && n.GetRenameStmt().RenameType == pg.ObjectType_OBJECT_TABLE:
			deleted[lower(sqlast.RangeVarName(n.GetRenameStmt().Relation))] = true
		case n.GetAlterTableStmt() != nil:
			t, _, _ = alterCmds(n)
		case n.GetRenameStmt() != nil && n.GetRenameStmt().RenameType == pg.ObjectType_OBJECT_COLUMN:
			t = sqlast.RangeVarName(n.GetRenameStmt().Relation)
		case n.GetUpdateStmt() != nil:
			t = sqlast.RangeVarName(n.GetUpdateStmt().Relation)
		case n.GetIndexStmt() != nil:
			t = sqlast.RangeVarName(n.GetIndexStmt().Relation)
		}
		if t != "" && !seen[lower(t)] && !created[lower(t)] {
			seen[lower(t)] = true
			touched = append(touched, t)
		}
	}
	var out []string
	for _, t := range touched {
		if !deleted[lower(t)] {
			out = append(out, t)
		}
	}
	return out
}
