package trace

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// seed inserts rows rows into each existing table named, referenced tables first, so
// that rewrites, scans and index builds take measurable time. Values are generated from
// the column types; a column with a default, identity or generation keeps it. A
// foreign key column gets the row number, which matches the referenced table's seeded
// keys.
func seed(ctx context.Context, conn *pgx.Conn, tables []string, rows int) error {
	order, err := seedOrder(ctx, conn, tables)
	if err != nil {
		return err
	}
	for _, table := range order {
		cols, err := seedColumns(ctx, conn, table)
		if err != nil {
			return err
		}
		if len(cols) == 0 {
			continue
		}
		names := make([]string, len(cols))
		exprs := make([]string, len(cols))
		for i, c := range cols {
			names[i] = pgx.Identifier{c.name}.Sanitize()
			exprs[i] = c.expr
		}
		n, err := seedCap(ctx, conn, table, rows)
		if err != nil {
			return err
		}
		sql := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM generate_series(1, %d) g",
			table, strings.Join(names, ", "), strings.Join(exprs, ", "), n)
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("seeding %s: %w", table, err)
		}
		if _, err := conn.Exec(ctx, "ANALYZE "+table); err != nil {
			return fmt.Errorf("seeding %s: %w", table, err)
		}
	}
	return nil
}

// seedOrder keeps the tables that exist as ordinary tables, adds the empty tables
// they reference, and puts referenced tables before the tables that reference them.
func seedOrder(ctx context.Context, conn *pgx.Conn, tables []string) ([]string, error) {
	type node struct {
		oid  uint32
		name string
	}
	var nodes []node
	for _, t := range tables {
		var oid uint32
		var name string
		err := conn.QueryRow(ctx, `SELECT c.oid, c.oid::regclass::text FROM pg_class c
WHERE c.oid = to_regclass($1) AND c.relkind = 'r'`, quoteRel(t)).Scan(&oid, &name)
		if err == pgx.ErrNoRows {
			continue
		}
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, node{oid, name})
	}
	refs := map[uint32][]uint32{}
	rows, err := conn.Query(ctx, `SELECT conrelid, confrelid FROM pg_constraint WHERE contype = 'f'`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var from, to uint32
		if err := rows.Scan(&from, &to); err != nil {
			return nil, err
		}
		refs[from] = append(refs[from], to)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A referenced table the migration does not touch is seeded too, when it is
	// empty: else no foreign key value the seed writes has a row to match. One that
	// holds rows is left alone (its keys may collide with the seed's).
	listed := map[uint32]bool{}
	for _, n := range nodes {
		listed[n.oid] = true
	}
	for i := 0; i < len(nodes); i++ {
		for _, to := range refs[nodes[i].oid] {
			if listed[to] {
				continue
			}
			listed[to] = true
			var name string
			var empty bool
			err := conn.QueryRow(ctx, `SELECT c.oid::regclass::text FROM pg_class c WHERE c.oid = $1 AND c.relkind = 'r'`, to).Scan(&name)
			if err == pgx.ErrNoRows {
				continue
			}
			if err == nil {
				err = conn.QueryRow(ctx, "SELECT NOT EXISTS (SELECT FROM "+name+")").Scan(&empty)
			}
			if err != nil {
				return nil, err
			}
			if empty {
				nodes = append(nodes, node{to, name})
			}
		}
	}
	var order []string
	done := map[uint32]bool{}
	var visit func(n node, depth int)
	visit = func(n node, depth int) {
		if done[n.oid] || depth > len(nodes) {
			return
		}
		for _, to := range refs[n.oid] {
			for _, m := range nodes {
				if m.oid == to && to != n.oid {
					visit(m, depth+1)
				}
			}
		}
		if !done[n.oid] {
			done[n.oid] = true
			order = append(order, n.name)
		}
	}
	for _, n := range nodes {
		visit(n, 0)
	}
	return order, nil
}

// seedCap is how many of rows a table can take from the sequences its columns draw
// on (serial and identity ones): a smallserial key runs out at 32,767, and seeding
// more failed the trace with "reached maximum value of sequence". A cycling or
// descending sequence does not run out.
func seedCap(ctx context.Context, conn *pgx.Conn, table string, rows int) (int, error) {
	var left *int64
	err := conn.QueryRow(ctx, `
SELECT min((ps.max_value - coalesce(ps.last_value, ps.start_value - ps.increment_by)) / ps.increment_by)
FROM pg_depend d
JOIN pg_class c ON c.oid = d.objid AND c.relkind = 'S'
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_sequences ps ON ps.schemaname = n.nspname AND ps.sequencename = c.relname
WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
  AND d.refobjid = $1::regclass AND d.deptype IN ('a', 'i')
  AND ps.increment_by > 0 AND NOT ps.cycle`, table).Scan(&left)
	if err != nil {
		return 0, fmt.Errorf("seeding %s: %w", table, err)
	}
	if left != nil && *left < int64(rows) {
		return int(max(*left, 0)), nil
	}
	return rows, nil
}

type seedColumn struct{ name, expr string }

func seedColumns(ctx context.Context, conn *pgx.Conn, table string) ([]seedColumn, error) {
	rows, err := conn.Query(ctx, `
SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typtype::text,
       (SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = a.atttypid ORDER BY e.enumsortorder LIMIT 1)
FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
  AND d.adrelid IS NULL AND a.attidentity = ''
ORDER BY a.attnum`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []seedColumn
	for rows.Next() {
		var name, typ, typtype string
		var label *string
		if err := rows.Scan(&name, &typ, &typtype, &label); err != nil {
			return nil, err
		}
		expr := valueFor(typ, typtype, label)
		if expr == "" {
			continue
		}
		// The cast covers the whole value: an explicit cast truncates to the column's
		// length, where assigning the text of 'row ' || g to a varchar(3) fails.
		cols = append(cols, seedColumn{name, "(" + expr + ")::" + typ})
	}
	return cols, rows.Err()
}

// valueFor is an expression over the row number g for a column type ("" leaves the
// column NULL). Explicit casts truncate strings to the column's length.
func valueFor(typ, typtype string, enumLabel *string) string {
	base := typ
	if i := strings.IndexByte(base, '('); i >= 0 {
		base = base[:i]
	}
	switch {
	case typtype == "e" && enumLabel != nil:
		return "'" + strings.ReplaceAll(*enumLabel, "'", "''") + "'"
	case strings.HasSuffix(base, "[]"):
		return "'{}'"
	}
	switch base {
	case "smallint":
		// 1..32767 and round again: the keys a smallserial table seeded to its cap
		// holds, so a smallint foreign key finds its row (0 never did).
		return "((g - 1) % 32767 + 1)"
	case "integer", "bigint", "numeric", "real", "double precision", "oid":
		return "g"
	case "text", "character varying", "character", "citext", "name":
		return "'row ' || g"
	case "boolean":
		return "(g % 2 = 0)"
	case "timestamp without time zone", "timestamp with time zone", "date":
		return "(timestamp '2024-01-01' + g * interval '1 second')"
	case "time without time zone", "time with time zone":
		return "(time '00:00' + g * interval '1 second')"
	case "interval":
		return "(g * interval '1 second')"
	case "uuid":
		return "md5(g::text)"
	case "json", "jsonb":
		return "json_build_object('n', g)::text"
	case "bytea":
		return "convert_to(g::text, 'UTF8')"
	case "inet", "cidr":
		return "'10.0.0.0'::inet + g"
	}
	return ""
}

// quoteRel quotes each part of a relation name as the analysis names it (as stored:
// "StepRun", not folded), since to_regclass would fold an unquoted mixed-case name.
func quoteRel(name string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = `"` + strings.ReplaceAll(p, `"`, `""`) + `"`
	}
	return strings.Join(parts, ".")
}
