// Package tablestats reads table sizes from a live database into the stats file
// format that engine/config reads (written by `migsafe stats`).
package tablestats

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/migsafe/migsafe/engine/config"
)

// exactBelow is the table size under which rows are counted exactly: the planner's
// estimate (reltuples) is -1 or 0 for tables never vacuumed or analysed, and counting
// a small table costs nothing.
const exactBelow = 64 << 20

// Collect reads every user table (ordinary, materialized and partitioned) with its
// row count, heap bytes, index bytes and index count. Names are schema-qualified
// ("public.users"). The notes say which tables have an estimated row count or were
// left out because the role may not read them.
func Collect(ctx context.Context, conn *pgx.Conn) (*config.Stats, []string, error) {
	// A partitioned parent (relkind p) stores nothing itself: pg_table_size is 0 and
	// reltuples is -1 until someone runs ANALYZE on the parent (autovacuum never does),
	// yet an ALTER TABLE on it locks and rewrites every partition. Its size is the sum
	// of its leaf partitions; the partitions are listed under their own names too,
	// since a migration can name either.
	rows, err := conn.Query(ctx, `
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.oid, c.relkind = 'p',
       CASE WHEN c.relkind <> 'p' THEN c.reltuples::bigint
            WHEN bool_or(l.reltuples < 0) THEN -1
            ELSE coalesce(sum(l.reltuples), 0)::bigint END,
       CASE WHEN c.relkind <> 'p' THEN pg_table_size(c.oid) ELSE coalesce(sum(pg_table_size(l.oid)), 0)::bigint END,
       CASE WHEN c.relkind <> 'p' THEN pg_indexes_size(c.oid) ELSE coalesce(sum(pg_indexes_size(l.oid)), 0)::bigint END,
       (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL pg_partition_tree(c.oid) t ON c.relkind = 'p' AND t.isleaf
LEFT JOIN pg_class l ON l.oid = t.relid AND l.relkind = 'r'
WHERE c.relkind IN ('r', 'm', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
GROUP BY n.nspname, c.relname, c.oid, c.relkind, c.reltuples
ORDER BY 1`)
	if err != nil {
		return nil, nil, err
	}
	type table struct {
		name        string
		oid         uint32
		partitioned bool
		ts          config.TableStats
	}
	var tables []table
	for rows.Next() {
		var t table
		var indexes int64
		if err := rows.Scan(&t.name, &t.oid, &t.partitioned, &t.ts.Rows, &t.ts.Bytes, &t.ts.IndexBytes, &indexes); err != nil {
			return nil, nil, err
		}
		t.ts.Indexes = int(indexes)
		tables = append(tables, t)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	st := &config.Stats{Version: 1, Tables: map[string]config.TableStats{}}
	var notes []string
	for _, t := range tables {
		if t.ts.Bytes < exactBelow || t.ts.Rows < 0 {
			// A role that may read the catalog but not the table (permission denied,
			// SQLSTATE 42501) keeps the planner's estimate, or leaves the table out
			// when there is none, rather than losing every other table's size.
			err := conn.QueryRow(ctx, "SELECT count(*) FROM "+t.name).Scan(&t.ts.Rows)
			var pgErr *pgconn.PgError
			switch {
			case errors.As(err, &pgErr) && pgErr.Code == "42501":
				if t.ts.Rows < 0 {
					notes = append(notes, t.name+": left out (no SELECT on it to count its rows, and never analysed)")
					continue
				}
				notes = append(notes, fmt.Sprintf("%s: %d rows is the planner's estimate (no SELECT on it to count them)", t.name, t.ts.Rows))
			case err != nil:
				return nil, nil, fmt.Errorf("counting %s: %w", t.name, err)
			}
		}
		st.Tables[t.name] = t.ts
	}
	return st, notes, nil
}
