package migration

import (
	"errors"
	"os"
	"testing"
)

func TestDetect(t *testing.T) {
	cases := []struct {
		path, text string
		want       Runner
	}{
		{"db/0042_add_phone.up.sql", "SELECT 1;", GolangMigrate},
		{"db/0042_add_phone.down.sql", "SELECT 1;", GolangMigrate},
		{"db/20240101_x.sql", "-- +goose Up\nSELECT 1;", Goose},
		{"db/20240101_x.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n", Dbmate},
		{"db/V2_41_29__add_thing.sql", "SELECT 1;", Flyway},
		{"db/R__views.sql", "SELECT 1;", Flyway},
		{"sqitch/deploy/users.sql", "SELECT 1;", Sqitch},
		{"prisma/migrations/20240101_init/migration.sql", "SELECT 1;", Prisma},
		{"migrations/2024-01-01-000000_init/up.sql", "SELECT 1;", Diesel},
		{"schema.sql", "SELECT 1;", Plain},
	}
	for _, c := range cases {
		f := Parse(c.path, c.text, Options{})
		if f.Runner != c.want {
			t.Errorf("%s: runner %s, want %s", c.path, f.Runner, c.want)
		}
	}
}

func txKinds(f *File) []TxKind {
	var out []TxKind
	for _, s := range f.Statements {
		out = append(out, s.Tx.Kind)
	}
	return out
}

func TestTransactions(t *testing.T) {
	cases := []struct {
		name, path, text string
		meta             string // diesel metadata.toml
		want             []TxKind
		sections         []Section
	}{
		{"plain autocommit", "m.sql", "SELECT 1; SELECT 2;", "", []TxKind{NoTx, NoTx}, nil},
		{"explicit", "m.sql", "SELECT 0; BEGIN; SELECT 1; COMMIT; SELECT 2;", "", []TxKind{NoTx, ExplicitTx, ExplicitTx, ExplicitTx, NoTx}, nil},
		{"golang-migrate multi", "1_x.up.sql", "SELECT 1; SELECT 2;", "", []TxKind{ImplicitTx, ImplicitTx}, nil},
		{"golang-migrate single", "1_x.up.sql", "SELECT 1;", "", []TxKind{NoTx}, nil},
		{"goose default", "1_x.sql", "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;", "", []TxKind{RunnerTx, RunnerTx}, []Section{Up, Down}},
		{"goose no tx", "1_x.sql", "-- +goose NO TRANSACTION\n-- +goose Up\nSELECT 1;\nSELECT 2;", "", []TxKind{NoTx, NoTx}, nil},
		{"dbmate default", "1_x.sql", "-- migrate:up\nSELECT 1;", "", []TxKind{RunnerTx}, nil},
		{"dbmate no tx multi", "1_x.sql", "-- migrate:up transaction:false\nSELECT 1;\nSELECT 2;\n-- migrate:down\nSELECT 3;", "", []TxKind{ImplicitTx, ImplicitTx, NoTx}, []Section{Up, Up, Down}},
		{"diesel default", "m/1_x/up.sql", "SELECT 1;", "", []TxKind{RunnerTx}, nil},
		{"diesel no tx multi", "m/1_x/up.sql", "SELECT 1; SELECT 2;", "run_in_transaction = false\n", []TxKind{ImplicitTx, ImplicitTx}, nil},
		{"prisma", "prisma/migrations/1_x/migration.sql", "SELECT 1; SELECT 2;", "", []TxKind{ImplicitTx, ImplicitTx}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			read := func(p string) ([]byte, error) {
				if c.meta != "" {
					return []byte(c.meta), nil
				}
				return nil, os.ErrNotExist
			}
			f := Parse(c.path, c.text, Options{ReadFile: read})
			got := txKinds(f)
			if len(got) != len(c.want) {
				t.Fatalf("tx kinds %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("tx kinds %v, want %v", got, c.want)
				}
			}
			for i, sec := range c.sections {
				if f.Statements[i].Section != sec {
					t.Errorf("statement %d section %s, want %s", i, f.Statements[i].Section, sec)
				}
			}
		})
	}
}

func TestDownLookup(t *testing.T) {
	files := map[string]string{"db/0001_x.down.sql": "DROP TABLE x;"}
	read := func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, errors.New("missing")
	}
	f := Parse("db/0001_x.up.sql", "CREATE TABLE x (id int);", Options{ReadFile: read})
	if !f.Down.Found || f.Down.Where != "file" || len(f.Down.Statements) != 1 {
		t.Errorf("down = %+v", f.Down)
	}
	f = Parse("db/0002_y.up.sql", "CREATE TABLE y (id int);", Options{ReadFile: read})
	if f.Down.Found || f.Down.Path != "db/0002_y.down.sql" {
		t.Errorf("missing down = %+v", f.Down)
	}
	f = Parse("1_x.sql", "-- +goose Up\nSELECT 1;\n-- +goose Down\n", Options{})
	if !f.Down.Found || len(f.Down.Statements) != 0 {
		t.Errorf("empty goose down = %+v", f.Down)
	}
}

func TestDownOnly(t *testing.T) {
	for path, want := range map[string]bool{
		"db/0001_x.down.sql":        true,
		"db/0001_x.up.sql":          false,
		"m/2024_x/down.sql":         true,
		"m/2024_x/up.sql":           false,
		"db/U2__undo_thing.sql":     true,
		"db/V2__thing.sql":          false,
		"sqitch/revert/users.sql":   true,
		"sqitch/verify/users.sql":   true,
		"sqitch/deploy/users.sql":   false,
		"db/20240101_x.sql":         false,
		"db/update_users_table.sql": false,
	} {
		if got := DownOnly(path); got != want {
			t.Errorf("DownOnly(%s) = %v, want %v", path, got, want)
		}
	}
}
