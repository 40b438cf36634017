package project

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/internal/corpus"
)

// removalsBySnapshot is what ApplyRemovals must tell: the difference between a
// snapshot before the statement and one after it.
func removalsBySnapshot(c, next *Catalog) []Removal {
	before := map[ID]*Relation{}
	for _, id := range next.ChangedSince(c) {
		if r, ok := c.rel(id); ok {
			before[id] = r
		}
	}
	return removals(next.ChangedSince(c), before, next)
}

func removalStrings(rs []Removal) []string {
	var out []string
	for _, r := range rs {
		s := fmt.Sprintf("%d %s", r.Rel.ID, r.Rel.Name)
		if r.Column != nil {
			s += "." + r.Column.Name
		}
		out = append(out, s)
	}
	return out
}

// The down replay's in-place journal tells the same removals, in the same order, as
// snapshots before and after every statement, and ends on the same catalog: every
// statement of the corpus replayed onto the catalog its directory's earlier files
// leave, and a file of drops, cascades and renames.
func TestApplyRemovalsAgreesWithSnapshots(t *testing.T) {
	files := []corpus.File{{Path: "m/0001_a.sql", Text: `CREATE TABLE a (id int PRIMARY KEY, x int, y int);
CREATE INDEX a_x ON a (x); CREATE VIEW v AS SELECT id, x FROM a; CREATE TABLE b (id int, a_id int REFERENCES a);`},
		{Path: "m/0002_b.sql", Text: `ALTER TABLE a DROP COLUMN y; ALTER TABLE a RENAME COLUMN x TO z; ALTER TABLE a ADD COLUMN w int;
ALTER TABLE a DROP COLUMN w; DROP VIEW v; CREATE VIEW v2 AS SELECT * FROM b; DROP TABLE a CASCADE;
ALTER TABLE b RENAME TO c; DROP TABLE c, v2 CASCADE; CREATE TABLE d (q int); ALTER TABLE d DROP COLUMN q;`}}
	files = append(files, corpus.SQLFiles(t)...)
	var c *Catalog
	dir, compared := "", 0
	for i, file := range files {
		if d := filepath.Dir(file.Path); d != dir {
			dir, c = d, nil
		}
		last := i+1 == len(files) || filepath.Dir(files[i+1].Path) != dir
		f := migration.Parse(file.Path, file.Text, migration.Options{})
		snap := c.BeginFile(f.Path)
		down := c.BeginFile(f.Path).RemovalReplayer()
		for _, st := range InOrder(f.Statements) {
			if st.Node == nil || st.Section != migration.Up {
				continue
			}
			next := snap.Apply(st)
			want := removalStrings(removalsBySnapshot(snap, next))
			got := removalStrings(down.ApplyRemovals(st))
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%s at %d: removals %v, snapshots say %v", f.Path, st.Start, got, want)
			}
			compared += len(want)
			snap = next
		}
		// describe costs the whole catalog: the last file of each directory is compared.
		if last {
			if got, want := describeFlags(down.Catalog()), describeFlags(snap); got != want {
				t.Fatalf("%s: the journaled replay ends on\n%s\nsnapshots on\n%s", f.Path, got, want)
			}
		}
		c = c.ApplyFile(f)
	}
	t.Logf("%d removals compared", compared)
	if compared < 10 {
		t.Fatalf("only %d removals compared", compared)
	}
}
