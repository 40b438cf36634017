package pgtree

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v5"
	"github.com/pganalyze/pg_query_go/v5/parser"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/migsafe/migsafe/internal/corpus"
)

// sameAsPgQuery fails the test unless text parses to what pg_query_go's Parse gives,
// tree for tree, or fails with the same error.
func sameAsPgQuery(t testing.TB, name, text string) {
	t.Helper()
	want, wantErr := pg.Parse(text)
	got, err := parse(text) // not Parse: no falling back to pg_query_go
	if wantErr != nil || err != nil {
		var we, ge *parser.Error
		switch {
		case errors.As(wantErr, &we):
			if !errors.As(err, &ge) || *we != *ge {
				t.Fatalf("%s: error %v, pg_query_go: %v", name, err, wantErr)
			}
		case wantErr != nil && strings.Contains(wantErr.Error(), "invalid UTF-8"):
			if !errors.Is(err, ErrInvalidUTF8) {
				t.Fatalf("%s: error %v, pg_query_go: %v", name, err, wantErr)
			}
		default:
			t.Fatalf("%s: error %v, pg_query_go: %v", name, err, wantErr)
		}
		return
	}
	if !proto.Equal(got, want) {
		for i := range want.Stmts {
			if i < len(got.Stmts) && !proto.Equal(got.Stmts[i], want.Stmts[i]) {
				t.Fatalf("%s: statement %d differs\n got: %v\nwant: %v", name, i, got.Stmts[i], want.Stmts[i])
			}
		}
		t.Fatalf("%s: %d statements, pg_query_go %d", name, len(got.Stmts), len(want.Stmts))
	}
}

// TestTreesEqualProtobuf: every .sql file of the corpus parses to pg_query_go's trees.
func TestTreesEqualProtobuf(t *testing.T) {
	for _, f := range corpus.SQLFiles(t) {
		sameAsPgQuery(t, f.Path, f.Text)
	}
}

// TestNodeKinds covers what migrations in the corpus rarely hold: every kind of
// constant, NULL list items, bit strings, floats, JSON and XML expressions,
// partitioning, policies, rules, triggers, and errors at a position.
func TestNodeKinds(t *testing.T) {
	for _, sql := range []string{
		"SELECT 1, -2147483648, 9223372036854775807, 1.5e300, 'x', B'1010', X'ff', true, false, NULL",
		"SELECT $1::int[], ARRAY[[1,2],[3,4]], (ROW(1, 'a')).f1, x[1:2], x[:], a.b.c.*",
		"SELECT * FROM t WHERE a IS DISTINCT FROM b AND c IS NOT TRUE AND d IN (1,2) AND e BETWEEN SYMMETRIC 1 AND 2 AND f LIKE 'x%' ESCAPE '!' AND g SIMILAR TO 'a' AND h = ANY (ARRAY[1]) OR NOT i",
		"SELECT CASE WHEN a THEN 1 ELSE 2 END, COALESCE(a, b), NULLIF(a, b), GREATEST(1, 2), LEAST(1, 2), CURRENT_DATE, CURRENT_TIMESTAMP(3), LOCALTIME, CURRENT_USER, SESSION_USER",
		"SELECT count(*) FILTER (WHERE x) OVER (PARTITION BY a ORDER BY b ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), string_agg(a, ',' ORDER BY a), percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM t GROUP BY ROLLUP (a, b), CUBE (c), GROUPING SETS ((a), ()) HAVING count(*) > 1 WINDOW w AS (ORDER BY a)",
		"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SEARCH DEPTH FIRST BY n SET ord CYCLE n SET c USING p SELECT * FROM r",
		"SELECT * FROM a JOIN b USING (id) AS j LEFT JOIN LATERAL (SELECT 1) s ON true NATURAL FULL JOIN c CROSS JOIN ROWS FROM (f(1), g(2)) WITH ORDINALITY AS x(a, b), t TABLESAMPLE BERNOULLI (10) REPEATABLE (1)",
		"SELECT xmlelement(name foo, xmlattributes('x' AS bar), 'c'), xmlparse(document '<a/>'), xmlserialize(content x AS text), x IS DOCUMENT FROM XMLTABLE('/a' PASSING x COLUMNS id int PATH '@id', n FOR ORDINALITY)",
		"SELECT json_object('a': 1 RETURNING jsonb), json_array(1, 2 ABSENT ON NULL), json_objectagg(k: v), json_arrayagg(v ORDER BY v), x IS JSON OBJECT WITH UNIQUE KEYS, x::json FORMAT JSON",
		"SELECT a FROM t ORDER BY a USING <, b DESC NULLS LAST LIMIT ALL OFFSET 5 FOR UPDATE OF t SKIP LOCKED FOR KEY SHARE NOWAIT",
		"SELECT DISTINCT ON (a) a FROM t FETCH FIRST 3 ROWS WITH TIES",
		"INSERT INTO t AS x (a, b) OVERRIDING SYSTEM VALUE VALUES (1, DEFAULT), (2, 3) ON CONFLICT (a) WHERE b > 0 DO UPDATE SET (a, b) = (EXCLUDED.a, 1) WHERE x.a <> 0 RETURNING *",
		"INSERT INTO t DEFAULT VALUES ON CONFLICT ON CONSTRAINT c DO NOTHING",
		"UPDATE t SET a = 1, b[1] = 2, c.d = 3 FROM u WHERE CURRENT OF cur",
		"DELETE FROM ONLY t USING u WHERE t.id = u.id RETURNING t.*",
		"MERGE INTO t USING s ON t.id = s.id WHEN MATCHED AND s.x THEN UPDATE SET a = s.a WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT (a) VALUES (s.a) WHEN NOT MATCHED THEN DO NOTHING",
		"CREATE TABLE IF NOT EXISTS s.t (id bigint GENERATED ALWAYS AS IDENTITY (START 1 INCREMENT 2) PRIMARY KEY, a text COLLATE \"C\" NOT NULL DEFAULT 'x' CHECK (a <> ''), b int REFERENCES u (id) ON DELETE CASCADE ON UPDATE SET NULL (b) DEFERRABLE INITIALLY DEFERRED, c numeric(10, 2)[] GENERATED ALWAYS AS (b * 2) STORED, d tsvector COMPRESSION lz4 STORAGE EXTERNAL, EXCLUDE USING gist (c WITH &&) WHERE (a > ''), UNIQUE NULLS NOT DISTINCT (a) INCLUDE (b), LIKE u INCLUDING ALL EXCLUDING INDEXES) PARTITION BY RANGE (id) WITH (fillfactor = 70) TABLESPACE x",
		"CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (MINVALUE) TO (10); CREATE TABLE p2 PARTITION OF p FOR VALUES IN (1, 2) PARTITION BY LIST (a); CREATE TABLE p3 PARTITION OF p FOR VALUES WITH (MODULUS 4, REMAINDER 0); CREATE TABLE p4 PARTITION OF p DEFAULT",
		"CREATE UNLOGGED TABLE t2 AS SELECT 1 WITH NO DATA; CREATE TEMP TABLE t3 (a int) ON COMMIT DROP; CREATE TABLE t4 OF typ (a WITH OPTIONS NOT NULL); CREATE TABLE t5 () INHERITS (t)",
		"ALTER TABLE ONLY t ADD COLUMN IF NOT EXISTS a int, DROP COLUMN b CASCADE, ALTER COLUMN c TYPE bigint USING c::bigint, ALTER c SET DEFAULT 1, ALTER c DROP NOT NULL, ALTER c SET STATISTICS 100, ALTER c SET (n_distinct = 1), ALTER c ADD GENERATED BY DEFAULT AS IDENTITY, ALTER c SET GENERATED ALWAYS, ADD CONSTRAINT k FOREIGN KEY (a) REFERENCES u NOT VALID, VALIDATE CONSTRAINT k, DROP CONSTRAINT IF EXISTS k RESTRICT, SET LOGGED, SET WITHOUT CLUSTER, CLUSTER ON i, REPLICA IDENTITY USING INDEX i, ENABLE ALWAYS TRIGGER tr, DISABLE RULE r, FORCE ROW LEVEL SECURITY, OWNER TO CURRENT_ROLE, SET TABLESPACE x, SET ACCESS METHOD heap, INHERIT p, NO INHERIT q, OF typ, NOT OF",
		"ALTER TABLE p ATTACH PARTITION p1 FOR VALUES FROM (1) TO (2); ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY; ALTER TABLE p DETACH PARTITION p2 FINALIZE; ALTER TABLE t RENAME COLUMN a TO b; ALTER TABLE IF EXISTS t RENAME TO u; ALTER TABLE t SET SCHEMA s; ALTER INDEX ALL IN TABLESPACE a OWNED BY r SET TABLESPACE b NOWAIT",
		"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY t USING btree (lower(a) COLLATE \"C\" text_pattern_ops DESC NULLS FIRST, (b + 1)) INCLUDE (c) NULLS NOT DISTINCT WITH (fillfactor = 50) TABLESPACE x WHERE a IS NOT NULL",
		"DROP INDEX CONCURRENTLY IF EXISTS a, b CASCADE; REINDEX (VERBOSE, CONCURRENTLY) TABLE t; CLUSTER t USING i; VACUUM (FULL, ANALYZE) t (a); ANALYZE VERBOSE t; TRUNCATE ONLY t, u RESTART IDENTITY CASCADE",
		"CREATE OR REPLACE FUNCTION f(a int DEFAULT 1, OUT b text, VARIADIC c int[]) RETURNS SETOF record LANGUAGE plpgsql IMMUTABLE STRICT SECURITY DEFINER PARALLEL SAFE COST 10 ROWS 5 SET search_path = public AS $$ BEGIN RETURN; END $$",
		"CREATE FUNCTION g() RETURNS TABLE (x int) RETURN 1; CREATE PROCEDURE p(INOUT a int) BEGIN ATOMIC SELECT 1; SELECT 2; END; CALL p(1); ALTER FUNCTION f(int) RENAME TO g; DROP FUNCTION IF EXISTS f(int), g",
		"DO $$ BEGIN PERFORM 1; END $$; DO LANGUAGE plpgsql 'BEGIN NULL; END'",
		"CREATE TRIGGER tr BEFORE INSERT OR UPDATE OF a ON t REFERENCING NEW TABLE AS n FOR EACH ROW WHEN (NEW.a IS NOT NULL) EXECUTE FUNCTION f(1, 'x'); CREATE CONSTRAINT TRIGGER ct AFTER DELETE ON t DEFERRABLE FOR EACH ROW EXECUTE PROCEDURE f(); CREATE EVENT TRIGGER et ON ddl_command_start WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION f()",
		"CREATE POLICY p ON t AS RESTRICTIVE FOR SELECT TO PUBLIC, CURRENT_USER USING (a = current_user) WITH CHECK (true); ALTER POLICY p ON t RENAME TO q; CREATE RULE r AS ON INSERT TO t WHERE NEW.a > 0 DO INSTEAD (INSERT INTO u VALUES (NEW.a); NOTIFY c)",
		"CREATE VIEW v (a) WITH (security_barrier) AS SELECT 1 WITH CASCADED CHECK OPTION; CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 1 WITH DATA; REFRESH MATERIALIZED VIEW CONCURRENTLY mv WITH NO DATA; CREATE RECURSIVE VIEW rv (n) AS SELECT 1",
		"CREATE TYPE e AS ENUM ('a', 'b'); ALTER TYPE e ADD VALUE IF NOT EXISTS 'c' BEFORE 'a'; ALTER TYPE e RENAME VALUE 'a' TO 'z'; CREATE TYPE c AS (a int, b text COLLATE \"C\"); CREATE TYPE r AS RANGE (subtype = int4); CREATE TYPE sh; CREATE DOMAIN d AS int CONSTRAINT pos CHECK (VALUE > 0) DEFAULT 1 NOT NULL; ALTER DOMAIN d DROP CONSTRAINT pos",
		"CREATE SEQUENCE IF NOT EXISTS s AS bigint INCREMENT BY -1 MINVALUE 1 NO MAXVALUE START WITH 5 CACHE 10 CYCLE OWNED BY t.a; ALTER SEQUENCE s RESTART WITH 1; SELECT nextval('s'), setval('s', 1, false)",
		"CREATE EXTENSION IF NOT EXISTS x WITH SCHEMA s VERSION '1' CASCADE; ALTER EXTENSION x UPDATE TO '2'; ALTER EXTENSION x ADD TABLE t; CREATE SCHEMA IF NOT EXISTS AUTHORIZATION r CREATE TABLE t (a int); COMMENT ON COLUMN t.a IS 'x'; COMMENT ON TABLE t IS NULL; SECURITY LABEL FOR p ON TABLE t IS 'l'",
		"GRANT SELECT (a), UPDATE ON ALL TABLES IN SCHEMA s TO r WITH GRANT OPTION GRANTED BY CURRENT_USER; REVOKE GRANT OPTION FOR ALL ON t FROM PUBLIC CASCADE; GRANT r TO u WITH ADMIN OPTION; ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s GRANT SELECT ON TABLES TO u",
		"CREATE ROLE r WITH LOGIN PASSWORD 'p' VALID UNTIL 'infinity' IN ROLE a CONNECTION LIMIT 5; ALTER ROLE r SET search_path TO a, b; ALTER ROLE ALL RESET ALL; DROP ROLE IF EXISTS r; REASSIGN OWNED BY a TO b; DROP OWNED BY a CASCADE",
		"BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE; SAVEPOINT s; RELEASE SAVEPOINT s; ROLLBACK TO s; COMMIT AND CHAIN; START TRANSACTION; PREPARE TRANSACTION 'x'; COMMIT PREPARED 'x'; END",
		"SET LOCAL lock_timeout = '1s'; SET TIME ZONE 'UTC'; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; SHOW ALL; SET TRANSACTION SNAPSHOT '1'; SET CONSTRAINTS ALL DEFERRED; LOCK TABLE t IN ACCESS EXCLUSIVE MODE NOWAIT",
		"COPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER true, NULL 'x', FORCE_NOT_NULL (a)); COPY (SELECT 1) TO PROGRAM 'cat' BINARY; COPY t FROM '/f' WHERE a > 1",
		"PREPARE q (int) AS SELECT $1; EXECUTE q(1); DEALLOCATE ALL; DECLARE c SCROLL CURSOR WITH HOLD FOR SELECT 1; FETCH BACKWARD 5 FROM c; FETCH ALL c; MOVE ABSOLUTE -1 c; CLOSE ALL; LISTEN x; NOTIFY x, 'p'; UNLISTEN *",
		"EXPLAIN (ANALYZE, BUFFERS, FORMAT json) SELECT 1; CREATE TABLE x AS EXECUTE q; SELECT * INTO TEMP t FROM u; VALUES (1, 'a'), (2, 'b') ORDER BY 1; TABLE t; SELECT 1 UNION SELECT 2 INTERSECT ALL SELECT 3 EXCEPT SELECT 4",
		"CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (host 'h'); CREATE FOREIGN TABLE ft (a int OPTIONS (column_name 'b')) SERVER s; IMPORT FOREIGN SCHEMA r LIMIT TO (t) FROM SERVER s INTO l; CREATE USER MAPPING FOR CURRENT_USER SERVER s OPTIONS (user 'u'); CREATE FOREIGN DATA WRAPPER w HANDLER h VALIDATOR v",
		"CREATE PUBLICATION p FOR TABLE t (a, b) WHERE (a > 1), TABLES IN SCHEMA s WITH (publish = 'insert'); CREATE SUBSCRIPTION sub CONNECTION 'c' PUBLICATION p WITH (enabled = false); ALTER SUBSCRIPTION sub REFRESH PUBLICATION",
		"CREATE STATISTICS IF NOT EXISTS st (ndistinct, dependencies) ON a, (b + 1) FROM t; CREATE COLLATION c (provider = icu, locale = 'und'); CREATE CAST (int AS text) WITH FUNCTION f(int) AS IMPLICIT; CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = f); CREATE AGGREGATE a (int) (SFUNC = f, STYPE = int); CREATE TRANSFORM FOR int LANGUAGE sql (FROM SQL WITH FUNCTION f(internal))",
		"CREATE OPERATOR CLASS oc FOR TYPE int USING btree FAMILY of AS OPERATOR 1 <, FUNCTION 1 f(int, int), STORAGE int; ALTER OPERATOR FAMILY of USING btree DROP OPERATOR 1 (int, int); CREATE ACCESS METHOD am TYPE INDEX HANDLER h; CREATE CONVERSION cv FOR 'LATIN1' TO 'UTF8' FROM f; CREATE TEXT SEARCH CONFIGURATION ts (PARSER = p); ALTER TEXT SEARCH CONFIGURATION ts ADD MAPPING FOR word WITH simple",
		"CREATE DATABASE d WITH OWNER r TEMPLATE template0 ENCODING 'UTF8'; ALTER DATABASE d SET x = 1; ALTER DATABASE d REFRESH COLLATION VERSION; DROP DATABASE IF EXISTS d WITH (FORCE); CREATE TABLESPACE ts LOCATION '/x'; ALTER SYSTEM SET work_mem = '1MB'; CHECKPOINT; DISCARD ALL; LOAD 'x'",
		"SELECT a COLLATE \"C\" < b, -a, @ a, a ! , a OPERATOR(pg_catalog.+) b, (SELECT 1), EXISTS (SELECT 1), ARRAY(SELECT 1), a = ALL (SELECT 1), (a, b) = (SELECT 1, 2), (a, b) OVERLAPS (c, d), a AT TIME ZONE 'UTC', INTERVAL '1' DAY TO SECOND(3), '1'::interval hour, x::bit varying(5), y::double precision, z::timestamp(3) with time zone, w::char(2)",
		"SELECT substring('x' FROM 1 FOR 2), position('a' IN 'b'), overlay('a' PLACING 'b' FROM 1), trim(BOTH 'x' FROM 'y'), extract(year FROM now()), normalize('a', NFC), 'a' IS NFC NORMALIZED, collation for ('x'), treat(a AS int), a::regclass, GROUPING(a), f(a => 1, b := 2), f(VARIADIC ARRAY[1]), merge_action()",
		"ALTER TABLE t ALTER COLUMN a SET COMPRESSION pglz, ALTER a SET STORAGE MAIN, ALTER a DROP EXPRESSION IF EXISTS, ALTER a DROP IDENTITY IF EXISTS, ALTER a RESTART WITH 5, ALTER CONSTRAINT k DEFERRABLE, ADD PRIMARY KEY USING INDEX i, ADD CHECK (a > 0) NO INHERIT, SET (autovacuum_enabled = off), RESET (fillfactor), ENABLE REPLICA TRIGGER tr, DISABLE TRIGGER ALL, NO FORCE ROW LEVEL SECURITY, SET UNLOGGED, REPLICA IDENTITY FULL",
		"CREATE INDEX ON t ((a->>'k')); SELECT a->'b'->>'c', a #> '{b}', a @> b, a ?| b, a::jsonb[] FROM t; SELECT 'a' || 'b' || NULL::text; SELECT * FROM f() AS (a int, b text); SELECT * FROM t AS x(a) WHERE (a).b = 1",
		"SELECT 1 +", "CREATE TABLE (", "SELECT 'unterminated", "ALTER TABLE t ADD COLUMN a int,", "SELECT $$x",
		"", ";", "  -- only a comment\n", "SELECT 1; ; SELECT 2;",
		"SELECT 'ünïcödé', \"ÄÖÜ\", U&'\\0041', E'\\n\\t', $tag$ $$ $tag$",
		"SELECT '\xff'", "CREATE INDEX \xff\xfe ON t (a)", "SELECT 1 -- \xff\n", "SELECT E'\\xc3', E'\\xa9'", "SELECT 'é', E'\\xa9'",
	} {
		sameAsPgQuery(t, sql, sql)
	}
}

// TestHeadersMatchModule: the PostgreSQL headers under include/ are those of the
// pg_query_go module this build uses (an upgrade must copy them again, and run gen).
func TestHeadersMatchModule(t *testing.T) {
	mod := moduleDir(t)
	n := 0
	err := filepath.WalkDir("include", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel("include", p)
		want, err := os.ReadFile(filepath.Join(mod, "parser", "include", rel))
		if os.IsNotExist(err) {
			want, err = os.ReadFile(filepath.Join(mod, "parser", rel)) // pg_query_internal.h
		}
		if err != nil {
			t.Errorf("%s: not in pg_query_go: %v", p, err)
			return nil
		}
		got, _ := os.ReadFile(p)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from pg_query_go's", p)
		}
		n++
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("%d headers: %v", n, err)
	}
}

// TestGeneratedUpToDate: nodes.c, nodes.go and walk.go are what gen writes for the
// module (regenerate with go generate ./internal/pgtree).
func TestGeneratedUpToDate(t *testing.T) {
	moduleDir(t)
	out, err := exec.Command("go", "run", "./gen", "-check", "-dir", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

func moduleDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/pganalyze/pg_query_go/v5").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Fatalf("go list -m github.com/pganalyze/pg_query_go/v5: %v", err)
	}
	return dir
}

// FuzzParse: any text parses to pg_query_go's trees or fails with its error.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"SELECT 1", "CREATE TABLE t (a int PRIMARY KEY)",
		"ALTER TABLE t ADD COLUMN b text DEFAULT 'x' NOT NULL",
		"SELECT 'a' || $1 FROM t WHERE b IN (1, 2.5, NULL)",
		"CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON s.t USING gin ((a->'b') jsonb_path_ops) WHERE c IS NOT NULL",
		"DO $$ BEGIN RAISE NOTICE 'x'; END $$; COPY t (a, b) FROM stdin;",
		"CREATE FUNCTION f(a int DEFAULT 1, OUT b text) RETURNS SETOF record LANGUAGE sql IMMUTABLE AS 'select 1'",
		"SELECT B'1010', X'ff', 1e-5, -2147483649, true, xmlelement(name a), JSON_OBJECT('a': 1)",
		"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r FOR UPDATE SKIP LOCKED",
		"SELECT ((((((1))))))", "SELECT 'unterminated", "ALTER TABLE", "SELECT '\xff'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.IndexByte(s, 0) >= 0 {
			return // C strings end at NUL, for both
		}
		sameAsPgQuery(t, "fuzz input", s)
	})
}

// TestEqualStringsShareANode: within a parse, equal String nodes are one node
// (stringNode); different ones are not.
func TestEqualStringsShareANode(t *testing.T) {
	tree, err := Parse("SELECT a.x FROM a WHERE a.x < 1; SELECT b.x FROM b WHERE b.x < 2")
	if err != nil {
		t.Fatal(err)
	}
	byValue := map[string]map[*pg.Node]bool{}
	for _, raw := range tree.Stmts {
		Walk(raw.Stmt, func(n *pg.Node) {
			if s := n.GetString_(); s != nil {
				if byValue[s.Sval] == nil {
					byValue[s.Sval] = map[*pg.Node]bool{}
				}
				byValue[s.Sval][n] = true
			}
		})
	}
	for _, v := range []string{"a", "b", "x", "<"} {
		if len(byValue[v]) != 1 {
			t.Errorf("%d String nodes for %q, want one shared", len(byValue[v]), v)
		}
	}
	if len(byValue) != 4 {
		t.Errorf("String values %v, want a, b, x and <", byValue)
	}
}

// TestWalkVisitsEveryNode: Walk reaches the nodes protobuf reflection reaches, each
// as often as it occurs (once, but for the String nodes equal strings share), on
// every tree of the corpus.
func TestWalkVisitsEveryNode(t *testing.T) {
	files := corpus.SQLFiles(t)
	total := 0
	for _, f := range files {
		tree, err := Parse(f.Text)
		if err != nil {
			continue
		}
		for _, raw := range tree.Stmts {
			want := map[*pg.Node]int{}
			reflectWalk(raw.Stmt.ProtoReflect(), want)
			want[raw.Stmt]++
			got := map[*pg.Node]int{}
			Walk(raw.Stmt, func(n *pg.Node) {
				if got[n]++; got[n] > 1 && n.GetString_() == nil {
					t.Fatalf("%s: a node visited twice", f.Path)
				}
			})
			if len(got) != len(want) {
				t.Fatalf("%s: Walk visits %d nodes, reflection %d", f.Path, len(got), len(want))
			}
			for n, times := range want {
				if got[n] != times {
					t.Fatalf("%s: Walk visits %v %d times, reflection %d", f.Path, n, got[n], times)
				}
			}
			total += len(got)
		}
	}
	if total == 0 {
		t.Fatal("no nodes walked")
	}
}

// reflectWalk counts every Node message under m by protobuf reflection.
func reflectWalk(m protoreflect.Message, seen map[*pg.Node]int) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind {
			return true
		}
		visit := func(msg protoreflect.Message) {
			if n, ok := msg.Interface().(*pg.Node); ok {
				seen[n]++
			}
			reflectWalk(msg, seen)
		}
		if fd.IsList() {
			for i := 0; i < v.List().Len(); i++ {
				visit(v.List().Get(i).Message())
			}
		} else {
			visit(v.Message())
		}
		return true
	})
}

// BenchmarkCorpus: parsing the corpus into Go trees here against pg_query_go's Parse
// (protobuf), one goroutine.
func BenchmarkCorpus(b *testing.B) {
	files := corpus.SQLFiles(b)
	for _, p := range []struct {
		name  string
		parse func(string) (*pg.ParseResult, error)
	}{{"pgtree", parse}, {"pg_query_go", pg.Parse}} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				for _, f := range files {
					p.parse(f.Text)
				}
			}
		})
	}
}
