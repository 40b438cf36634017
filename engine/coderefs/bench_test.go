package coderefs_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/migsafe/migsafe/engine/coderefs"
)

// generateRepo writes a repository of n code files in five languages, about 3 KB each,
// of which one in fifty uses users.nickname in SQL or a model, in each language.
func generateRepo(tb testing.TB, n int, withGit bool) string {
	tb.Helper()
	dir := tb.TempDir()
	filler := func(b *strings.Builder, comment string, i int) {
		for j := 0; j < 60; j++ {
			fmt.Fprintf(b, "%s line %d of file %d: handler_%d computes total_%d from order_item_%d\n", comment, j, i, j, i, j)
		}
	}
	for i := 0; i < n; i++ {
		var b strings.Builder
		var p string
		uses := (i/5)%50 == 0
		col := "display_name"
		if uses {
			col = "nickname"
		}
		switch i % 5 {
		case 0:
			p = fmt.Sprintf("internal/svc%d/file%d.go", i%97, i)
			fmt.Fprintf(&b, "package svc%d\n\n", i%97)
			filler(&b, "//", i)
			fmt.Fprintf(&b, "const q%d = `SELECT id, %s FROM users WHERE id = $1`\n", i, col)
			fmt.Fprintf(&b, "type Row%d struct {\n\tID int64 `db:\"id\"`\n\tName string `db:\"%s\"`\n}\n", i, col)
		case 1:
			p = fmt.Sprintf("app/pkg%d/mod%d.py", i%89, i)
			filler(&b, "#", i)
			fmt.Fprintf(&b, "def get_%d(cur, uid):\n    cur.execute(\"SELECT %s FROM users WHERE id = %%s\", (uid,))\n", i, col)
		case 2:
			p = fmt.Sprintf("app/models/m%d/model%d.rb", i%83, i)
			fmt.Fprintf(&b, "class Model%d < ApplicationRecord\n  self.table_name = \"users\"\n  validates :%s, presence: true\n", i, col)
			filler(&b, "  #", i)
			b.WriteString("end\n")
		case 3:
			p = fmt.Sprintf("web/src/area%d/view%d.ts", i%79, i)
			filler(&b, "//", i)
			fmt.Fprintf(&b, "export const q%d = sql`SELECT %s FROM users WHERE id = ${id}`;\n", i, col)
		case 4:
			p = fmt.Sprintf("db/queries/q%d/queries%d.sql", i%71, i)
			filler(&b, "--", i)
			fmt.Fprintf(&b, "-- name: Get%d :one\nSELECT %s FROM users WHERE id = $1;\n", i, col)
		}
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	if withGit {
		for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"-c", "user.email=b@e", "-c", "user.name=b", "commit", "-q", "-m", "generated"}} {
			if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
				tb.Fatalf("git %v: %v %s", args, err, out)
			}
		}
	}
	return dir
}

// BenchmarkScan times a cold scan of a generated 10,000-file repository: listing it
// (git ls-files, or a walk honouring .gitignore), reading and indexing every file, and
// answering two queries (one with 200 uses, one with none). The target is under a
// second per scan on the 2-core development machine. Besides the wall time it reports
// cpu-ms/op, the CPU the scan used (this process and the git it runs): the machine is
// shared, and the CPU time does not grow with other processes' load as the wall time
// does; on an idle 2-core machine the wall time is at least half of it.
func BenchmarkScan(b *testing.B) {
	for _, withGit := range []bool{true, false} {
		name := "walk"
		if withGit {
			name = "git"
		}
		b.Run(name, func(b *testing.B) {
			dir := generateRepo(b, 10000, withGit)
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				ws := coderefs.Open(dir, coderefs.Options{})
				rep := ws.Uses(coderefs.Object{Table: "users", Column: "nickname"})
				if rep.Err != nil || rep.Head.Files != 10000 || len(rep.Head.Certain()) != 200 {
					b.Fatalf("files %d, certain uses %d, err %v", rep.Head.Files, len(rep.Head.Certain()), rep.Err)
				}
				if none := ws.Uses(coderefs.Object{Table: "orders", Column: "coupon_code"}); len(none.Head.Uses) != 0 {
					b.Fatalf("coupon_code: %d uses", len(none.Head.Uses))
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
			b.ReportMetric(10000, "files/op")
		})
	}
}

// cpuTime is the user and system CPU time of this process and its waited-for children.
func cpuTime() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if err := syscall.Getrusage(who, &ru); err == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}
