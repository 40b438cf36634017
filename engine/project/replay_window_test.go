package project

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/migsafe/migsafe/engine/migration"
)

// While the replay waits for one file, the workers parse ahead of it: many small
// files (up to windowMaxFiles), but only windowFilesPerWorker per worker of files
// whose text fills the window's bytes. The replay still visits every file once, in
// order.
func TestReplayWindow(t *testing.T) {
	for _, c := range []struct {
		name  string
		size  int
		ahead int
	}{
		{"small files", 10, windowMaxFiles},
		{"large files", windowBytes, 2 * windowFilesPerWorker},
	} {
		t.Run(c.name, func(t *testing.T) {
			const n = 100
			s := &Set{Runner: migration.Plain, Dir: "db"}
			for i := 0; i < n; i++ {
				s.Migrations = append(s.Migrations, Migration{Up: fmt.Sprintf("db/%03d.sql", i)})
			}
			text := "SELECT 1;" + strings.Repeat(" ", c.size-9)
			var mu sync.Mutex
			started := 0
			release := make(chan struct{})
			go func() {
				// The first file's parse ends once the workers have stopped
				// starting others for a while (or after a long wait).
				deadline := time.Now().Add(5 * time.Second)
				last, since := -1, time.Now()
				for time.Now().Before(deadline) {
					mu.Lock()
					k := started
					mu.Unlock()
					if k != last {
						last, since = k, time.Now()
					} else if time.Since(since) > 100*time.Millisecond {
						break
					}
					time.Sleep(5 * time.Millisecond)
				}
				close(release)
			}()
			var atRelease int
			file := func(i int) *migration.File {
				mu.Lock()
				started++
				mu.Unlock()
				if i == 0 {
					<-release
					mu.Lock()
					atRelease = started
					mu.Unlock()
				}
				return migration.Parse(s.Migrations[i].Up, text, migration.Options{Runner: migration.Plain})
			}
			var visited []int
			Replay(s, n-1, 2, file, func(i int, h *History) *Catalog { visited = append(visited, i); return nil })
			if atRelease != c.ahead {
				t.Errorf("%d files started while the replay waited for the first, want %d", atRelease, c.ahead)
			}
			for i, v := range visited {
				if v != i {
					t.Fatalf("visited %v, want 0..%d in order", visited, n-1)
				}
			}
			if len(visited) != n {
				t.Errorf("visited %d files, want %d", len(visited), n)
			}
		})
	}
}
