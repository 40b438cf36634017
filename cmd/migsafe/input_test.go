package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// collectInputs stats the paths in parallel but keeps their order: files and walked
// directories in the order given, and the first path that fails is the one reported.
func TestCollectInputsKeepsTheOrderOfThePaths(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := 0; i < 300; i++ {
		p := filepath.Join(dir, fmt.Sprintf("%03d.sql", 299-i))
		if err := os.WriteFile(p, []byte("SELECT 1;"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"b.sql", "a.sql"} {
		if err := os.WriteFile(filepath.Join(sub, n), []byte("SELECT 1;"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ins, err := collectInputs(append(append([]string{}, paths[:150]...), append([]string{sub}, paths[150:]...)...), "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range ins {
		got = append(got, in.path)
		if !in.sized && !strings.HasPrefix(in.path, sub) {
			t.Errorf("%s: no size", in.path)
		}
	}
	want := append(append(append([]string{}, paths[:150]...), filepath.Join(sub, "a.sql"), filepath.Join(sub, "b.sql")), paths[150:]...)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("inputs out of order:\n%v", got)
	}
	missing := []string{paths[0], filepath.Join(dir, "gone-1.sql"), paths[1], filepath.Join(dir, "gone-2.sql")}
	if _, err := collectInputs(missing, "", nil, nil); err == nil || !strings.Contains(err.Error(), "gone-1.sql") || strings.Contains(err.Error(), "gone-2.sql") {
		t.Errorf("two missing paths: %v, want the first named", err)
	}
}

// A named pipe named like a migration in a walked directory is an error naming it:
// taken as a migration, reading it blocked `check DIR` until a writer came, for ever
// when none does. A link to a migration is still read; a link to a directory is not
// followed.
func TestCollectInputsRefusesANamedPipe(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "0001_a.sql"), []byte("SELECT 1;"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("0001_a.sql", filepath.Join(dir, "0002_b.sql")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(".", filepath.Join(dir, "loop.sql")); err != nil {
		t.Fatal(err)
	}
	ins, err := collectInputs([]string{dir}, "", nil, nil)
	if err != nil || len(ins) != 2 {
		t.Fatalf("a file and a link to it: %v, %v", ins, err)
	}
	fifo := filepath.Join(dir, "0003_c.sql")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if _, err := collectInputs([]string{dir}, "", nil, nil); err == nil || err.Error() != fifo+": read: a named pipe (FIFO), not a regular file: migsafe reads only regular files here" {
		t.Errorf("a FIFO in the directory: %v", err)
	}
}

// A file named twice, or named and found in a walk, is checked once, where it first
// comes: it was checked (and counted, and reported) twice.
func TestCollectInputsTakesAFileOnce(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"0001_a.sql", "0002_b.sql"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("SELECT 1;"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := filepath.Join(dir, "0002_b.sql")
	ins, err := collectInputs([]string{b, dir, dir + "/./0002_b.sql", dir + "//0001_a.sql"}, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range ins {
		got = append(got, in.path)
	}
	if want := []string{b, filepath.Join(dir, "0001_a.sql")}; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("inputs %q, want %q", got, want)
	}
}

// A directory named through a symbolic link is walked, its files named under the
// link: `check db/migrations`, a link to shared migrations, found no migration files.
func TestCollectInputsWalksALinkedDirectory(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "shared")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(real, "0001_a.sql"), []byte("SELECT 1;"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "migrations")
	if err := os.Symlink("shared", link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{link, link + "/"} {
		ins, err := collectInputs([]string{p}, "", nil, nil)
		if err != nil || len(ins) != 1 || ins[0].path != filepath.Join(link, "0001_a.sql") {
			t.Errorf("%s: %+v, %v; want %s", p, ins, err, filepath.Join(link, "0001_a.sql"))
		}
	}
}

// `check DIR` checked every .sql file under DIR, seeds and scripts the config's
// migration_globs leave out included (a reset.sql's DROP TABLE made the run BLOCK); it
// walks only the files the globs select now, and a file named on the command line is
// checked whatever they say.
func TestCheckDirHonoursMigrationGlobs(t *testing.T) {
	dir := t.TempDir()
	for p, text := range map[string]string{
		"migsafe.toml":               "migration_globs = [\"db/migrations/*.sql\"]\n",
		"db/migrations/1_a.up.sql":   "CREATE TABLE a (id int);\n",
		"db/migrations/1_a.down.sql": "DROP TABLE a;\n",
		"seeds/reset.sql":            "DROP TABLE orders;\n",
	} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, _, code := run(t, dir, "", "check", ".")
	if strings.Contains(out, "reset.sql") || !strings.Contains(out, "1 file checked") || code != 0 {
		t.Errorf("check .: exit %d\n%s", code, out)
	}
	out, _, code = run(t, dir, "", "check", "seeds/reset.sql")
	if !strings.Contains(out, "reset.sql") || code != 1 {
		t.Errorf("check seeds/reset.sql: exit %d\n%s", code, out)
	}
}

// A down file named without its up (a commit that changed only 1_x.down.sql, as
// pre-commit and the action pass changed files) was reviewed alone and SAFE TO SHIP,
// though it no longer undid the up; its up is checked in its place now, which reads it
// (irreversible-down-migration). Named with its up, it is left as it was.
func TestCheckDownAloneChecksItsUp(t *testing.T) {
	dir := t.TempDir()
	for p, text := range map[string]string{
		"db/1_x.up.sql":   "ALTER TABLE users ADD COLUMN x int;\n",
		"db/1_x.down.sql": "SELECT 1;\n",
	} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, _, _ := run(t, dir, "", "check", "db/1_x.down.sql")
	if !strings.Contains(out, "db/1_x.up.sql:1:1: FLAG irreversible-down-migration") || !strings.Contains(out, "1 file checked") {
		t.Errorf("check db/1_x.down.sql:\n%s", out)
	}
	out, _, _ = run(t, dir, "", "check", "db/1_x.down.sql", "db/1_x.up.sql")
	if !strings.Contains(out, "2 files checked") {
		t.Errorf("check of the down and its up:\n%s", out)
	}
}
