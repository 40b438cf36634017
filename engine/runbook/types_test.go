package runbook

import (
	"context"
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/internal/pgcluster/pgtest"
)

// TestFormatTypeMatchesPostgreSQL creates a table with a column of each type spelling
// formatType knows and compares its answer with format_type() on a real server, since
// the verification queries compare the two.
func TestFormatTypeMatchesPostgreSQL(t *testing.T) {
	types := []string{"int", "integer", "int4", "bigint", "int8", "smallint", "serial", "bigserial", "real", "float8",
		"double precision", "boolean", "bool", "text", "varchar", "varchar(20)", "character varying(30)", "char", "char(3)",
		"numeric", "numeric(10,2)", "decimal(5)", "timestamp", "timestamp(3)", "timestamptz", "timestamp with time zone",
		"timestamptz(0)", "time", "timetz", "date", "uuid", "jsonb", "json", "bytea", "interval", "inet", "text[]", "int[]",
		"varchar(10)[]", "pg_catalog.int8"}
	var cols []string
	want := map[string]string{}
	for i, typ := range types {
		name := "c" + string(rune('a'+i/26)) + string(rune('a'+i%26))
		cols = append(cols, name+" "+typ)
		tree, err := pg.Parse("CREATE TABLE x (" + name + " " + typ + ")")
		if err != nil {
			t.Fatal(err)
		}
		cd := tree.Stmts[0].Stmt.GetCreateStmt().TableElts[0].GetColumnDef()
		want[name] = formatType(cd.TypeName)
		if want[name] == "" {
			t.Errorf("formatType(%s) is unknown", typ)
		}
	}
	_, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "CREATE TABLE types ("+strings.Join(cols, ", ")+")"); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'types'::regclass AND attnum > 0")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name, got string
		if err := rows.Scan(&name, &got); err != nil {
			t.Fatal(err)
		}
		n++
		if want[name] != got {
			t.Errorf("%s: formatType says %q, PostgreSQL %q", name, want[name], got)
		}
	}
	if n != len(types) {
		t.Errorf("%d columns, want %d", n, len(types))
	}
}
