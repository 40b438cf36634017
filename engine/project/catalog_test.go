package project

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/sqlast"
)

// replayFiles replays migration texts in order, each as a file of its own.
func replayFiles(t *testing.T, texts ...string) *Catalog {
	t.Helper()
	var c *Catalog
	for i, text := range texts {
		f := migration.Parse(fmt.Sprintf("m/%04d_m.sql", i+1), text, migration.Options{Runner: migration.Plain})
		for _, st := range f.Statements {
			if st.Err != nil {
				t.Fatalf("file %d: %v", i+1, st.Err)
			}
		}
		c = c.ApplyFile(f)
	}
	return c
}

// describe prints a catalog the way the PostgreSQL oracle prints a database, so the
// two can be compared: one line per relation, column, constraint and index.
func describe(c *Catalog) string {
	var lines []string
	for _, r := range c.Relations() {
		switch r.Kind {
		case Index:
			t, _ := c.Rel(r.Index.Table)
			info := r.Index
			lines = append(lines, fmt.Sprintf("index %s on %s (%s) unique=%v primary=%v valid=%v", r.Name.SQL(), t.Name.SQL(), strings.Join(nonEmpty(info.Columns, "expr"), ", "), info.Unique, info.Primary, info.Valid))
		case Sequence:
			lines = append(lines, fmt.Sprintf("sequence %s", r.Name.SQL()))
		case View, MatView:
			lines = append(lines, fmt.Sprintf("%s %s", r.Kind, r.Name.SQL()))
		default:
			lines = append(lines, fmt.Sprintf("%s %s", r.Kind, r.Name.SQL()))
			for _, col := range r.Columns {
				lines = append(lines, fmt.Sprintf("column %s.%s %s notnull=%v", r.Name.SQL(), col.Name, typeString(col), col.NotNull))
			}
			for _, con := range r.Constraints {
				ref := ""
				if con.Kind == ForeignKey {
					rt, _ := c.Rel(con.References)
					ref = " references " + rt.Name.SQL()
				}
				cols := append([]string(nil), con.Columns...)
				if con.Kind == Check {
					// PostgreSQL lists them by column position, the replay by use.
					pos := map[string]int{}
					for i, col := range r.Columns {
						pos[col.Name] = i
					}
					sort.Slice(cols, func(i, j int) bool { return pos[cols[i]] < pos[cols[j]] })
				}
				lines = append(lines, fmt.Sprintf("constraint %s.%s %s (%s)%s validated=%v", r.Name.SQL(), con.Name, con.Kind, strings.Join(cols, ", "), ref, con.Validated))
			}
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func typeString(col *Column) string {
	if col.Type == nil {
		return "?"
	}
	s := sqlast.TypeName(col.Type)
	if mods := sqlast.Typmods(col.Type); len(mods) > 0 {
		var ms []string
		for _, m := range mods {
			ms = append(ms, fmt.Sprint(m))
		}
		s += "(" + strings.Join(ms, ",") + ")"
	}
	if len(col.Type.ArrayBounds) > 0 {
		s += "[]"
	}
	return s
}

func TestCatalogReplay(t *testing.T) {
	c := replayFiles(t,
		`CREATE TABLE users (id serial PRIMARY KEY, email varchar(100) NOT NULL UNIQUE, name text);
		 CREATE TABLE "Users" (id bigint);
		 CREATE SCHEMA billing;
		 CREATE TABLE billing.invoices (id bigint GENERATED ALWAYS AS IDENTITY, user_id int REFERENCES users, total numeric(10,2) CHECK (total >= 0));`,
		`ALTER TABLE users ALTER COLUMN email TYPE varchar(200);
		 ALTER TABLE users ADD COLUMN org_id bigint;
		 ALTER TABLE users ADD CONSTRAINT users_org_nn CHECK (org_id IS NOT NULL) NOT VALID;
		 CREATE INDEX ON users (org_id);
		 CREATE INDEX users_lower_email ON users (lower(email));
		 ALTER TABLE public.users RENAME COLUMN name TO full_name;`,
		`ALTER TABLE users VALIDATE CONSTRAINT users_org_nn;
		 ALTER TABLE billing.invoices RENAME TO bills;
		 CREATE TABLE archive AS SELECT id, email FROM users;`,
	)
	want := `column billing.bills.id int8 notnull=true
column billing.bills.total numeric(10,2) notnull=false
column billing.bills.user_id int4 notnull=false
column public."Users".id int8 notnull=false
column public.archive.email ? notnull=false
column public.archive.id ? notnull=false
column public.users.email varchar(200) notnull=true
column public.users.full_name text notnull=false
column public.users.id int4 notnull=true
column public.users.org_id int8 notnull=false
constraint billing.bills.invoices_total_check CHECK (total) validated=true
constraint billing.bills.invoices_user_id_fkey FOREIGN KEY (user_id) references public.users validated=true
constraint public.users.users_email_key UNIQUE (email) validated=true
constraint public.users.users_org_nn CHECK (org_id) validated=true
constraint public.users.users_pkey PRIMARY KEY (id) validated=true
index public.users_email_key on public.users (email) unique=true primary=false valid=true
index public.users_lower_email on public.users (expr) unique=false primary=false valid=true
index public.users_org_id_idx on public.users (org_id) unique=false primary=false valid=true
index public.users_pkey on public.users (id) unique=true primary=true valid=true
sequence billing.invoices_id_seq
sequence public.users_id_seq
table billing.bills
table public."Users"
table public.archive
table public.users`
	if got := describe(c); got != want {
		t.Errorf("catalog:\n%s\nwant:\n%s", got, want)
	}
	users, ok := c.Table(Name{Name: "users"})
	if !ok {
		t.Fatal("users not found unqualified")
	}
	if q, _ := c.Table(Name{Schema: "public", Name: "users"}); q != users {
		t.Error("public.users is not users under the default search_path")
	}
	if quoted, _ := c.Table(Name{Name: "Users"}); quoted == users || quoted == nil {
		t.Error(`"Users" and users are not two tables`)
	}
	if users.Origin.Path != "m/0001_m.sql" {
		t.Errorf("users created by %q", users.Origin.Path)
	}
	if con, _ := users.Constraint("users_org_nn"); con == nil || !con.Validated || con.NotNullColumn != "org_id" {
		t.Errorf("validated NOT NULL check: %+v", con)
	}
	if a, _ := c.Table(Name{Name: "archive"}); a == nil || !a.FromQuery {
		t.Error("CREATE TABLE AS is not marked as filled by its query")
	}
	if !c.Absent(Name{Schema: "billing", Name: "invoices"}) {
		t.Error("a table renamed away is not known absent")
	}
	if c.Absent(Name{Name: "never_seen"}) {
		t.Error("a table the history never mentions is known absent")
	}
}

func TestCatalogDropCascade(t *testing.T) {
	c := replayFiles(t,
		`CREATE TABLE a (id int PRIMARY KEY, x int, y int);
		 CREATE TABLE b (id int, a_id int REFERENCES a (id));
		 CREATE VIEW v AS SELECT x FROM a;
		 CREATE VIEW w AS SELECT * FROM v;
		 CREATE INDEX a_x_y ON a (x, y);
		 CREATE INDEX a_y ON a (y) WHERE x > 0;`,
		`ALTER TABLE a DROP COLUMN x CASCADE;`,
	)
	want := `column public.a.id int4 notnull=true
column public.a.y int4 notnull=false
column public.b.a_id int4 notnull=false
column public.b.id int4 notnull=false
constraint public.a.a_pkey PRIMARY KEY (id) validated=true
constraint public.b.b_a_id_fkey FOREIGN KEY (a_id) references public.a validated=true
index public.a_pkey on public.a (id) unique=true primary=true valid=true
table public.a
table public.b`
	if got := describe(c); got != want {
		t.Errorf("after DROP COLUMN x CASCADE:\n%s\nwant:\n%s", got, want)
	}
	c = replayFiles(t,
		`CREATE TABLE a (id int PRIMARY KEY);
		 CREATE TABLE b (id int, a_id int REFERENCES a (id));
		 CREATE VIEW v AS SELECT id FROM a;`,
		`DROP TABLE a CASCADE;`,
	)
	want = `column public.b.a_id int4 notnull=false
column public.b.id int4 notnull=false
table public.b`
	if got := describe(c); got != want {
		t.Errorf("after DROP TABLE a CASCADE:\n%s\nwant:\n%s", got, want)
	}
	if !c.Absent(Name{Name: "v"}) {
		t.Error("a view dropped by CASCADE is not known absent")
	}
}

func TestCatalogSearchPath(t *testing.T) {
	c := replayFiles(t,
		`CREATE SCHEMA app;
		 SET search_path TO app, public;
		 CREATE TABLE users (id int);
		 CREATE INDEX ON users (id);`,
		`CREATE TABLE users (id int);`,
		`SELECT pg_catalog.set_config('search_path', '', false);
		 CREATE TABLE app.orders (id int);`,
	)
	if _, ok := c.Table(Name{Schema: "app", Name: "users"}); !ok {
		t.Error("SET search_path did not put users in app")
	}
	if _, ok := c.Table(Name{Schema: "public", Name: "users"}); !ok {
		t.Error("the next file did not start with the default search_path")
	}
	if _, ok := c.Relation(Name{Schema: "app", Name: "users_id_idx"}); !ok {
		t.Error("the index of app.users is not in app")
	}
	c = replayFiles(t,
		`CREATE SCHEMA app; ALTER DATABASE current SET search_path = app, public;`,
		`CREATE TABLE t (id int);`,
	)
	if _, ok := c.Table(Name{Schema: "app", Name: "t"}); !ok {
		t.Error("ALTER DATABASE ... SET search_path did not apply to the next migration")
	}
}

func TestCatalogUnmodelled(t *testing.T) {
	c := replayFiles(t,
		`CREATE TABLE events (id int, kind text); CREATE TABLE other (id int);`,
		`DO $$ BEGIN EXECUTE 'ALTER TABLE events ADD COLUMN ' || 'x int'; END $$;`,
	)
	ev, _ := c.Table(Name{Name: "events"})
	other, _ := c.Table(Name{Name: "other"})
	if ev.Known() || !other.Known() {
		t.Errorf("DO block naming events: events known=%v (want false), other known=%v (want true)", ev.Known(), other.Known())
	}
	c = replayFiles(t,
		`CREATE TABLE events (id int); CREATE TABLE gone (id int); DROP TABLE gone;`,
		`DO $$ BEGIN EXECUTE format('CREATE TABLE %I (id int)', 'g' || 'one'); END $$;`,
	)
	if c.Absent(Name{Name: "gone"}) {
		t.Error("after dynamic SQL a dropped table is still known absent")
	}
	c = replayFiles(t,
		`CREATE TABLE events (id int);`,
		`SELECT create_hypertable('events', 'id');`,
	)
	if ev, _ := c.Table(Name{Name: "events"}); ev.Known() {
		t.Error("a table passed by name to an unknown function is still known")
	}
}

func TestMakeObjectName(t *testing.T) {
	long := strings.Repeat("a", 40)
	got := makeObjectName(long, strings.Repeat("b", 40), "fkey")
	if len(got) != 63 || !strings.HasSuffix(got, "_fkey") {
		t.Errorf("makeObjectName = %q (%d bytes), want 63 bytes ending _fkey", got, len(got))
	}
}

// A snapshot never changes: replaying later statements (with ApplyFile's in-place
// edits, and statement by statement) leaves every earlier catalog as it was.
func TestSnapshotsDoNotChange(t *testing.T) {
	for name, files := range oracleCases {
		files = append(files, `ALTER TABLE users DROP COLUMN IF EXISTS never_there; ALTER TABLE users DROP COLUMN email CASCADE;
			DO $$ BEGIN EXECUTE 'select 1'; END $$; DROP TABLE IF EXISTS orders CASCADE; DROP SCHEMA IF EXISTS billing CASCADE;`)
		var snaps []*Catalog
		var want []string
		c := &Catalog{}
		for i, text := range files {
			f := migration.Parse(fmt.Sprintf("m/%04d_m.sql", i+1), text, migration.Options{Runner: migration.Plain})
			if i%2 == 0 {
				c = c.ApplyFile(f)
			} else {
				c = applyEach(c, f)
			}
			snaps = append(snaps, c)
			want = append(want, describeFlags(c))
		}
		for i, s := range snaps {
			if got := describeFlags(s); got != want[i] {
				t.Errorf("%s: the catalog after file %d changed when later files were replayed", name, i+1)
			}
		}
	}
}

// applyEach applies a file's up statements one by one, each result a snapshot (as the
// language server's analyses keep them).
func applyEach(c *Catalog, f *migration.File) *Catalog {
	c = c.BeginFile(f.Path)
	for _, st := range InOrder(f.Statements) {
		if st.Section == migration.Up {
			c = c.Apply(st)
		}
	}
	return c
}

// describeFlags is describe with the facts PostgreSQL does not hold: uncertainty and
// whether rows were written.
func describeFlags(c *Catalog) string {
	out := describe(c)
	for _, r := range c.Relations() {
		out += fmt.Sprintf("\n%s uncertain=%v written=%v partial=%v", r.Name.SQL(), r.Uncertain, r.Written, r.Partial)
	}
	return out
}

// A large INSERT ... VALUES is parsed without its rows (migration.DeferMin): the
// table it fills is still marked written.
func TestDeferredInsertWrites(t *testing.T) {
	var rows []string
	for i := 0; len(strings.Join(rows, ",")) < 2*migration.DeferMin; i++ {
		rows = append(rows, fmt.Sprintf("(%d, 'name %d')", i, i))
	}
	text := "CREATE TABLE seeds (id int, name text);\nINSERT INTO seeds VALUES " + strings.Join(rows, ",") + ";"
	if f := migration.Parse("m/0001_m.sql", text, migration.Options{}); !f.Statements[1].Deferred {
		t.Fatal("the INSERT was not deferred: the test does not test what it says")
	}
	c := replayFiles(t, text)
	if s, _ := c.Table(Name{Name: "seeds"}); s == nil || !s.Written {
		t.Error("a deferred INSERT did not mark its table written")
	}
}
