package lsp

import (
	"fmt"
	"strings"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/estimate"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// maxHoverColumns bounds the column list of a table in a hover.
const maxHoverColumns = 12

// tableFacts describes, in markdown, each table the statement touches as the schema
// catalog knows it just before the statement: where it came from (and whether that
// migration is deployed), its size, columns, indexes and constraints.
func tableFacts(res *engine.Result, st engine.StatementResult) string {
	var tables []string
	seen := map[string]bool{}
	for _, p := range st.Locks.Parts {
		if p.Table != "" && !seen[p.Table] {
			seen[p.Table] = true
			tables = append(tables, p.Table)
		}
	}
	if len(tables) == 0 {
		return ""
	}
	c := catalogBefore(res, st.Stmt)
	var b strings.Builder
	for _, name := range tables {
		t, ok := c.Table(project.TreeName(name))
		if !ok {
			continue
		}
		shown := t.Name
		if c.Spell(t.Name) == t.Name.Name {
			shown.Schema = "" // it resolves unqualified, as the migration writes it
		}
		fmt.Fprintf(&b, "\n**Table `%s`**", shown.SQL())
		var about []string
		switch {
		case t.Origin.Path == res.File.Path:
			about = append(about, "created earlier in this migration")
		case t.Origin.Path != "":
			about = append(about, res.History.Describe(t.Origin))
		case t.Partial:
			about = append(about, "existed before the migrations migsafe read")
		}
		if n, ok := res.Config.Rows(name); ok {
			about = append(about, fmt.Sprintf("~%s rows", estimate.Rows(n)))
		}
		if t.FromQuery {
			about = append(about, "filled by its CREATE ... AS query")
		}
		if t.Uncertain {
			about = append(about, "changed by statements migsafe cannot follow (dynamic SQL or a function): facts may be incomplete")
		}
		if len(about) > 0 {
			fmt.Fprintf(&b, " — %s", strings.Join(about, "; "))
		}
		b.WriteString("\n\n")
		if cols := columnList(t); cols != "" {
			fmt.Fprintf(&b, "- columns: %s\n", cols)
		}
		var idx []string
		for _, ix := range c.IndexesOf(t) {
			s := fmt.Sprintf("`%s` (%s)", ix.Name.Name, strings.Join(nonEmptyColumns(ix.Index.Columns), ", "))
			if ix.Index.Unique {
				s += " unique"
			}
			if !ix.Index.Valid {
				s += " INVALID"
			}
			idx = append(idx, s)
		}
		if len(idx) > 0 {
			fmt.Fprintf(&b, "- indexes: %s\n", strings.Join(idx, ", "))
		}
		var cons []string
		for _, con := range t.Constraints {
			s := fmt.Sprintf("`%s` %s (%s)", con.Name, con.Kind, strings.Join(con.Columns, ", "))
			if ref, ok := c.Rel(con.References); ok && con.Kind == project.ForeignKey {
				s += " → " + ref.Name.SQL()
			}
			if !con.Validated {
				s += " NOT VALID"
			}
			cons = append(cons, s)
		}
		if len(cons) > 0 {
			fmt.Fprintf(&b, "- constraints: %s\n", strings.Join(cons, ", "))
		}
	}
	return b.String()
}

// catalogBefore replays the file's up statements before st onto its history.
func catalogBefore(res *engine.Result, st *migration.Statement) *project.Catalog {
	var c *project.Catalog
	if res.History != nil {
		c = res.History.Before
	}
	c = c.BeginFile(res.File.Path)
	for _, s := range project.InOrder(res.File.Statements) {
		if s == st {
			break
		}
		if s.Section == migration.Up {
			c = c.Apply(s)
		}
	}
	return c
}

func columnList(t *project.Relation) string {
	var cols []string
	for i, col := range t.Columns {
		if i == maxHoverColumns {
			cols = append(cols, fmt.Sprintf("and %d more", len(t.Columns)-i))
			break
		}
		s := "`" + col.Name + "`"
		if col.Type != nil {
			s += " " + sqlast.TypeText(col.Type)
		}
		if col.NotNull {
			s += " NOT NULL"
		}
		cols = append(cols, s)
	}
	return strings.Join(cols, ", ")
}

func nonEmptyColumns(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c
		if c == "" {
			out[i] = "expression"
		}
	}
	return out
}
