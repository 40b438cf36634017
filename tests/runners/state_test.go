package runners

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// bookkeeping are the runners' own tables, which the comparisons leave out.
var bookkeeping = map[string]bool{"goose_db_version": true, "schema_migrations": true, "flyway_schema_history": true,
	"_prisma_migrations": true, "__diesel_schema_migrations": true, "migsafe_suite_plain": true}

// ownTables are tables a fixed migration creates for itself and drops when done: no
// application query reads them, so a lock on one blocks nobody the sampler speaks for.
// The batch job ends by locking its progress table to drop it, and on a loaded 2-core
// machine that last transaction's commit has been seen to take 82 ms.
var ownTables = map[string]bool{"migsafe_batch_progress": true}

// state is a database's schema (as lines a diff reads) and a checksum of its data.
type state struct {
	catalog []string
	data    map[string]string // table -> checksum of its rows (pad left out: no recipe changes it)
}

// snapshot reads the state of the public schema. Columns are compared by name (an
// expand/contract adds the new column at the end), indexes by definition without
// their name (a copied index has its own), so two ways to the same schema compare equal.
func snapshot(ctx context.Context, e env, withData bool) (state, error) {
	c, err := connect(ctx, e)
	if err != nil {
		return state{}, err
	}
	defer c.Close(ctx)
	var st state
	add := func(q string) error {
		rows, err := c.Query(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var table, line string
			if err := rows.Scan(&table, &line); err != nil {
				return err
			}
			if !bookkeeping[table] {
				st.catalog = append(st.catalog, table+": "+line)
			}
		}
		return rows.Err()
	}
	for _, q := range []string{
		`SELECT c.relname, 'relation ' || c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p')`,
		`SELECT c.relname, 'column ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END ||
		        coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
		 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		 LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
		`SELECT c.relname, 'constraint ' || co.conname || ' ' || pg_get_constraintdef(co.oid) || CASE WHEN co.convalidated THEN '' ELSE ' (not validated)' END
		 FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`,
		`SELECT c.relname, 'index ' || regexp_replace(pg_get_indexdef(i.indexrelid), '^(CREATE (UNIQUE )?INDEX )\S+ ', '\1') || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END
		 FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`,
		`SELECT c.relname, 'trigger ' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE n.nspname = 'public' AND NOT t.tgisinternal`,
		`SELECT '', 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'`,
	} {
		if err := add(q); err != nil {
			return state{}, err
		}
	}
	sort.Strings(st.catalog)
	if !withData {
		return st, nil
	}
	st.data = map[string]string{}
	rows, err := c.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`)
	if err != nil {
		return state{}, err
	}
	var tables []string
	for rows.Next() {
		var t string
		rows.Scan(&t)
		if !bookkeeping[t] {
			tables = append(tables, t)
		}
	}
	rows.Close()
	for _, t := range tables {
		var sum string
		// jsonb orders its keys, so a column's position does not matter.
		q := fmt.Sprintf(`SELECT coalesce(md5(string_agg(r::text, ',' ORDER BY r::text)), '') FROM (SELECT to_jsonb(t) - 'pad' AS r FROM %s t) s`, pgx.Identifier{t}.Sanitize())
		if err := c.QueryRow(ctx, q).Scan(&sum); err != nil {
			return state{}, err
		}
		st.data[t] = sum
	}
	return st, nil
}

// diff lists how b differs from a.
func diff(a, b state) []string {
	var out []string
	in := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, l := range list {
			m[l] = true
		}
		return m
	}
	ma, mb := in(a.catalog), in(b.catalog)
	for _, l := range a.catalog {
		if !mb[l] {
			out = append(out, "- "+l)
		}
	}
	for _, l := range b.catalog {
		if !ma[l] {
			out = append(out, "+ "+l)
		}
	}
	for t, s := range a.data {
		if b.data != nil && b.data[t] != s {
			out = append(out, fmt.Sprintf("data of %s differs", t))
		}
	}
	return out
}

// lockHold is one strong lock a backend held on a table, as the sampler saw it.
type lockHold struct {
	table, mode string
	first, last time.Time
	query       string
}

func (h lockHold) held() time.Duration { return h.last.Sub(h.first) }

// strong are the modes that block writes (SHARE) or everything (ACCESS EXCLUSIVE),
// with the two between them.
var strong = map[string]bool{"AccessExclusiveLock": true, "ExclusiveLock": true, "ShareRowExclusiveLock": true, "ShareLock": true}

// sampler reads pg_locks every millisecond or so from its own session while the
// runner works, and keeps, per backend transaction, table and mode, how long a strong
// lock was seen granted.
type sampler struct {
	stop  chan struct{}
	done  chan struct{}
	mu    sync.Mutex
	holds map[string]*lockHold
	n     int
}

func startSampler(ctx context.Context, e env) (*sampler, error) {
	c, err := connect(ctx, e)
	if err != nil {
		return nil, err
	}
	s := &sampler{stop: make(chan struct{}), done: make(chan struct{}), holds: map[string]*lockHold{}}
	go func() {
		defer close(s.done)
		defer c.Close(context.Background())
		for {
			select {
			case <-s.stop:
				return
			default:
			}
			rows, err := c.Query(ctx, `SELECT l.pid, coalesce(a.xact_start::text, ''), c.relname, l.mode, coalesce(a.query, '')
				FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
				LEFT JOIN pg_stat_activity a ON a.pid = l.pid
				WHERE l.granted AND l.locktype = 'relation' AND n.nspname = 'public' AND c.relkind IN ('r', 'p') AND l.pid <> pg_backend_pid()
				  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
			now := time.Now()
			if err == nil {
				for rows.Next() {
					var pid int
					var xact, table, mode, query string
					if rows.Scan(&pid, &xact, &table, &mode, &query) != nil || !strong[mode] || bookkeeping[table] || ownTables[table] {
						continue
					}
					key := fmt.Sprint(pid, xact, table, mode)
					s.mu.Lock()
					h := s.holds[key]
					if h == nil {
						h = &lockHold{table: table, mode: mode, first: now, query: query}
						s.holds[key] = h
					}
					h.last = now
					s.mu.Unlock()
				}
				rows.Close()
			}
			s.mu.Lock()
			s.n++
			s.mu.Unlock()
			time.Sleep(500 * time.Microsecond)
		}
	}()
	return s, nil
}

// finish stops sampling and returns the holds, longest first, and the samples taken.
func (s *sampler) finish() ([]lockHold, int) {
	close(s.stop)
	<-s.done
	var out []lockHold
	for _, h := range s.holds {
		out = append(out, *h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].held() > out[j].held() })
	return out, s.n
}

func describe(h lockHold) string {
	q := strings.Join(strings.Fields(h.query), " ")
	if len(q) > 100 {
		q = q[:100] + "..."
	}
	return fmt.Sprintf("%s on %s for %v (%s)", h.mode, h.table, h.held().Round(time.Millisecond), q)
}
