package codeactions

import (
	"fmt"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// NotNull is the phased way to make a column NOT NULL without scanning the table under
// ACCESS EXCLUSIVE: a CHECK (col IS NOT NULL) NOT VALID (instant), its validation (a
// scan under SHARE UPDATE EXCLUSIVE, which lets reads and writes go on), then from
// PostgreSQL 12 SET NOT NULL, which trusts the validated check instead of scanning, and
// the check's removal. Before 12, SET NOT NULL would scan anyway: the validated check is
// kept as the guarantee.
type NotNull struct {
	Table, Check, Column string // written back: quoted where needed
	PG                   int
}

// NewNotNull names the phases for column of the table rv.
func NewNotNull(rv *pg.RangeVar, column string, pgVersion int) NotNull {
	return NotNull{
		Table:  Relation(rv),
		Check:  Ident(ConstraintName(rv.GetRelname(), []string{column}, "not_null")),
		Column: Ident(column),
		PG:     pgVersion,
	}
}

// AddCheck adds the check NOT VALID.
func (n NotNull) AddCheck() string {
	return fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID;", n.Table, n.Check, n.Column)
}

// DropCheck undoes AddCheck.
func (n NotNull) DropCheck() string {
	return fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s;", n.Table, n.Check)
}

// Validate validates the check.
func (n NotNull) Validate() string {
	return fmt.Sprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s;", n.Table, n.Check)
}

// SetNotNull is SET NOT NULL and the check's removal (PostgreSQL 12+), or a note that
// the validated check is the guarantee.
func (n NotNull) SetNotNull() []string {
	if n.PG < 12 {
		return []string{"-- Before PostgreSQL 12, SET NOT NULL scans the table under ACCESS EXCLUSIVE even after the check is validated: the CHECK constraint stays as the NOT NULL guarantee."}
	}
	return []string{
		fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;", n.Table, n.Column),
		fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s;", n.Table, n.Check),
	}
}

// UndoSetNotNull reverses Validate and SetNotNull: the column nullable again and the
// check back NOT VALID, as the phase before left it.
func (n NotNull) UndoSetNotNull() []string {
	if n.PG < 12 {
		return nil // a validated check cannot be made NOT VALID again; nothing to undo
	}
	return []string{
		fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL;", n.Table, n.Column),
		n.AddCheck(),
	}
}

// VerifyNotNull fails unless the column is NOT NULL (or, before 12, the check validated).
func (n NotNull) VerifyNotNull(table, column string) string {
	if n.PG < 12 {
		return fmt.Sprintf("SELECT 1 / count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s AND convalidated;\n", Literal(n.Table), Literal(unquote(n.Check)))
	}
	return fmt.Sprintf("SELECT 1 / count(*) FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s AND attnotnull;\n", Literal(n.Table), Literal(column))
}

// unquote turns a written-back identifier into its name.
func unquote(id string) string {
	if len(id) >= 2 && id[0] == '"' && id[len(id)-1] == '"' {
		return id[1 : len(id)-1]
	}
	return id
}
