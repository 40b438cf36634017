// Package bigmigration generates large migrations for the memory and latency
// benchmarks: what a large migration is in practice, a schema change that ships with
// its data. Each block is five DDL and backfill statements (four of them findings:
// ADD COLUMN NOT NULL, CREATE INDEX without CONCURRENTLY on an existing table, an
// unbatched UPDATE) followed by a 100-row INSERT ... VALUES of the new table's data,
// the way pg_dump --rows-per-insert and ORMs' bulk seeds write it; about 90% of the
// bytes are rows. DDL generates a DDL-only migration (the blocks without their rows).
package bigmigration

import (
	"fmt"
	"strings"
)

// Generate returns a migration of at least size bytes.
func Generate(size int) string { return generate(size, true) }

// DDL returns a migration of at least size bytes of DDL and backfills alone.
func DDL(size int) string { return generate(size, false) }

func generate(size int, rows bool) string {
	var b strings.Builder
	b.Grow(size + 8<<10)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "CREATE TABLE items_%d (id bigint PRIMARY KEY, name text NOT NULL, price numeric(10,2), created_at timestamptz DEFAULT now());\n", i)
		fmt.Fprintf(&b, "ALTER TABLE users ADD COLUMN c_%d text NOT NULL;\n", i)
		fmt.Fprintf(&b, "CREATE INDEX items_%d_name_idx ON items_%d (name);\n", i, i)
		fmt.Fprintf(&b, "CREATE INDEX users_c_%d_idx ON users (c_%d);\n", i, i)
		fmt.Fprintf(&b, "UPDATE accounts SET flag_%d = true WHERE id < %d;\n", i, 1000+i)
		if !rows {
			continue
		}
		fmt.Fprintf(&b, "INSERT INTO items_%d (id, name, price, created_at) VALUES\n", i)
		for r := 0; r < 100; r++ {
			sep := ",\n"
			if r == 99 {
				sep = ";\n"
			}
			fmt.Fprintf(&b, "  (%d, 'item %d of batch %d', %d.%02d, '2024-01-%02d 12:00:00+00')%s", r+1, r, i, r*7%1000, r%100, r%28+1, sep)
		}
	}
	return b.String()
}

// TypedInNames is n versions of a DDL document, each the one before with a character
// typed at column 14 of one of its lines (the name of a table or an index every shape
// of DDL's lines has there, or an UPDATE's table), the lines spread over the document:
// the typing edits the large-document benchmarks time.
func TypedInNames(text string, n int) []string {
	lines := strings.Split(text, "\n")
	versions := make([]string, n)
	for i := range versions {
		l := (i * 7919) % (len(lines) - 1)
		lines[l] = lines[l][:14] + "x" + lines[l][14:]
		versions[i] = strings.Join(lines, "\n")
	}
	return versions
}
