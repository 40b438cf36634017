package project

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/migsafe/migsafe/internal/pgcluster/pgtest"
)

// oracleCases are migration histories whose replayed catalog must equal what
// PostgreSQL itself holds after running them: names PostgreSQL chooses for unnamed
// constraints, indexes and sequences, NOT NULL, validation, index validity, renames
// and what DROP ... CASCADE takes along.
var oracleCases = map[string][]string{
	"names": {
		`CREATE TABLE users (id serial PRIMARY KEY, email varchar(100) NOT NULL UNIQUE, name text, CHECK (length(name) > 0));
		 CREATE TABLE "Users" (id bigint, "Email" text);
		 CREATE SCHEMA billing;
		 CREATE TABLE billing.invoices (id bigint GENERATED ALWAYS AS IDENTITY, user_id int REFERENCES users, total numeric(10,2) CHECK (total >= 0), tags text[],
		   CHECK (total < 1000 OR user_id IS NOT NULL), UNIQUE (user_id, total));`,
		`ALTER TABLE users ALTER COLUMN email TYPE varchar(200);
		 ALTER TABLE users ADD COLUMN org_id bigint;
		 ALTER TABLE users ADD CONSTRAINT users_org_nn CHECK (org_id IS NOT NULL) NOT VALID;
		 ALTER TABLE users ADD CHECK (org_id > 0) NOT VALID;
		 CREATE INDEX ON users (org_id);
		 CREATE INDEX ON users (org_id);
		 CREATE INDEX ON users (lower(email));
		 CREATE INDEX ON users ((org_id + 1), name);
		 CREATE UNIQUE INDEX ON "Users" ("Email");
		 ALTER TABLE public.users RENAME COLUMN name TO full_name;
		 CREATE TABLE orders (id bigint, user_id int, placed timestamptz DEFAULT now());
		 ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;`,
		`ALTER TABLE users VALIDATE CONSTRAINT users_org_nn;
		 ALTER TABLE billing.invoices RENAME TO bills;
		 CREATE TABLE archive AS SELECT id, email FROM users;
		 SELECT id, full_name INTO archive2 FROM users;
		 CREATE UNIQUE INDEX orders_id_idx ON orders (id);
		 ALTER TABLE orders ADD CONSTRAINT orders_pk PRIMARY KEY USING INDEX orders_id_idx;
		 ALTER TABLE orders RENAME CONSTRAINT orders_user_id_fkey TO orders_user_fk;
		 ALTER INDEX users_email_key RENAME TO users_email_uniq;`,
	},
	"cascade": {
		`CREATE TABLE a (id int PRIMARY KEY, x int, y int);
		 CREATE TABLE b (id int, a_id int REFERENCES a (id), x_copy int);
		 CREATE VIEW v AS SELECT x FROM a;
		 CREATE VIEW w AS SELECT * FROM v;
		 CREATE VIEW keep AS SELECT id FROM a;
		 CREATE INDEX a_x_y ON a (x, y);
		 CREATE INDEX a_y ON a (y) WHERE x > 0;
		 CREATE TABLE c (id int PRIMARY KEY, a_id int REFERENCES a);
		 CREATE MATERIALIZED VIEW mv AS SELECT id FROM c;`,
		`ALTER TABLE a DROP COLUMN x CASCADE;
		 DROP TABLE c CASCADE;
		 ALTER TABLE a DROP CONSTRAINT a_pkey CASCADE;`,
	},
	"schemas": {
		`CREATE SCHEMA app;
		 SET search_path TO app, public;
		 CREATE TABLE users (id serial, org int);
		 CREATE INDEX ON users (org);
		 CREATE SEQUENCE counter OWNED BY users.org;`,
		`CREATE TABLE users (id int);
		 CREATE SCHEMA old;
		 CREATE TABLE old.t (id int PRIMARY KEY);
		 ALTER SCHEMA old RENAME TO legacy;
		 CREATE TABLE moved (id int UNIQUE);
		 ALTER TABLE moved SET SCHEMA app;`,
		`SELECT pg_catalog.set_config('search_path', '', false);
		 CREATE TABLE app.orders (id int);
		 DROP SCHEMA legacy CASCADE;
		 ALTER TABLE app.users DROP COLUMN org;`,
	},
	"partitions": {
		`CREATE TABLE events (id bigint, at date, kind text) PARTITION BY RANGE (at);
		 CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
		 CREATE INDEX events_kind_idx ON ONLY events (kind);
		 CREATE TABLE copy (LIKE users_like_source);`,
	},
}

func TestCatalogMatchesPostgres(t *testing.T) {
	_, conn := pgtest.Connect(t, 15)
	ctx := context.Background()
	names := make([]string, 0, len(oracleCases))
	for name := range oracleCases {
		names = append(names, name)
	}
	sort.Strings(names)
	for i, name := range names {
		files := oracleCases[name]
		if name == "partitions" {
			// LIKE of a table outside the history: PostgreSQL needs it, the replay must
			// not pretend to know it.
			files = append([]string{"CREATE TABLE users_like_source (a int NOT NULL, b text);"}, files...)
		}
		t.Run(name, func(t *testing.T) {
			db := fmt.Sprintf("oracle_%d", i)
			if _, err := conn.Exec(ctx, "CREATE DATABASE "+db); err != nil {
				t.Fatal(err)
			}
			c, err := pgx.Connect(ctx, strings.Replace(conn.Config().ConnString(), "dbname=postgres", "dbname="+db, 1))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close(ctx)
			for j, f := range files {
				// One session per migration, as a runner gives each.
				if _, err := c.Exec(ctx, "RESET ALL; "+f); err != nil {
					t.Fatalf("file %d: %v", j+1, err)
				}
			}
			want, err := describePostgres(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			got := describe(replayFiles(t, files...))
			if d := lineDiff(got, want); d != "" {
				t.Errorf("replayed catalog differs from PostgreSQL 15 (- replay, + PostgreSQL):\n%s", d)
			}
		})
	}
}

// describePostgres prints a database's schema as describe prints a catalog.
func describePostgres(ctx context.Context, c *pgx.Conn) (string, error) {
	const userRels = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`
	queries := []string{
		`SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
		   WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' END || ' ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
		 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ` + userRels,
		`SELECT 'column ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || a.attname || ' ' ||
		   CASE WHEN t.typname LIKE '\_%' THEN substr(t.typname, 2) ELSE t.typname END ||
		   CASE WHEN t.typname IN ('varchar', 'bpchar') AND a.atttypmod > 0 THEN '(' || (a.atttypmod - 4) || ')'
		        WHEN t.typname = 'numeric' AND a.atttypmod > 0 THEN '(' || ((a.atttypmod - 4) >> 16) || ',' || ((a.atttypmod - 4) & 65535) || ')'
		        ELSE '' END ||
		   CASE WHEN t.typname LIKE '\_%' THEN '[]' ELSE '' END || ' notnull=' || a.attnotnull
		 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
		 WHERE c.relkind IN ('r', 'p', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped AND ` + userRels,
		`SELECT 'constraint ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || co.conname || ' ' ||
		   CASE co.contype WHEN 'c' THEN 'CHECK' WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' WHEN 'f' THEN 'FOREIGN KEY' WHEN 'x' THEN 'EXCLUDE' END ||
		   ' (' || coalesce((SELECT string_agg(a.attname, ', ' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = ANY (co.conkey)), '') || ')' ||
		   CASE WHEN co.contype = 'f' THEN ' references ' || quote_ident(fn.nspname) || '.' || quote_ident(f.relname) ELSE '' END ||
		   ' validated=' || co.convalidated
		 FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		 LEFT JOIN pg_class f ON f.oid = co.confrelid LEFT JOIN pg_namespace fn ON fn.oid = f.relnamespace
		 WHERE co.contype IN ('c', 'p', 'u', 'f', 'x') AND ` + userRels,
		`SELECT 'index ' || quote_ident(n.nspname) || '.' || quote_ident(ic.relname) || ' on ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' (' ||
		   (SELECT string_agg(CASE WHEN k.attnum = 0 THEN 'expr' ELSE (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = k.attnum) END, ', ' ORDER BY k.ord)
		    FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) WHERE k.ord <= i.indnkeyatts) ||
		   ') unique=' || i.indisunique || ' primary=' || i.indisprimary || ' valid=' || i.indisvalid
		 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE ` + userRels,
	}
	var lines []string
	for _, q := range queries {
		rows, err := c.Query(ctx, q)
		if err != nil {
			return "", fmt.Errorf("%v\n%s", err, q)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return "", err
			}
			lines = append(lines, s)
		}
		if err := rows.Err(); err != nil {
			return "", err
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n"), nil
}

// lineDiff lists the lines only one side has; a "?" type on the replay side (a column
// of CREATE TABLE AS, whose type the replay does not infer) matches any type.
func lineDiff(got, want string) string {
	have := map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		have[l]++
	}
	var out []string
	for _, l := range strings.Split(got, "\n") {
		if have[l] > 0 {
			have[l]--
			continue
		}
		if strings.Contains(l, " ? ") {
			prefix := l[:strings.Index(l, " ? ")]
			matched := false
			for w, n := range have {
				if n > 0 && strings.HasPrefix(w, prefix+" ") && strings.HasSuffix(w, l[strings.Index(l, " ? ")+3:]) {
					have[w]--
					matched = true
					break
				}
			}
			if matched {
				continue
			}
		}
		out = append(out, "- "+l)
	}
	for l, n := range have {
		for ; n > 0; n-- {
			out = append(out, "+ "+l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}
