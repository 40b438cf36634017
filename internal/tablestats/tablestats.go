// Package tablestats reads table sizes from a live database into the stats file
// format that engine/config reads (written by `migsafe stats`).
package tablestats

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/migsafe/migsafe/engine/config"
)

// exactBelow is the table size under which rows are counted exactly: the planner's
// estimate (reltuples) is -1 or 0 for tables never vacuumed or analysed, and counting
// a small table costs nothing.
const exactBelow = 64 << 20

// Collect reads every user table (ordinary and partitioned, not partitions' children
// counted twice) with its row count, heap bytes, index bytes and index count. Names
// are schema-qualified ("public.users").
func Collect(ctx context.Context, conn *pgx.Conn) (*config.Stats, error) {
	rows, err := conn.Query(ctx, `
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.oid,
       c.reltuples::bigint, pg_table_size(c.oid), pg_indexes_size(c.oid),
       (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	type table struct {
		name string
		oid  uint32
		ts   config.TableStats
	}
	var tables []table
	for rows.Next() {
		var t table
		var indexes int64
		if err := rows.Scan(&t.name, &t.oid, &t.ts.Rows, &t.ts.Bytes, &t.ts.IndexBytes, &indexes); err != nil {
			return nil, err
		}
		t.ts.Indexes = int(indexes)
		tables = append(tables, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	st := &config.Stats{Version: 1, Tables: map[string]config.TableStats{}}
	for _, t := range tables {
		if t.ts.Bytes < exactBelow || t.ts.Rows < 0 {
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+t.name).Scan(&t.ts.Rows); err != nil {
				return nil, fmt.Errorf("counting %s: %w", t.name, err)
			}
		}
		st.Tables[t.name] = t.ts
	}
	return st, nil
}
