package project

import (
	"sync"

	"github.com/migsafe/migsafe/engine/migration"
)

// Replay walks the migrations of s from the first through index last, in order,
// calling visit with each one's History (the catalog before it) and then applying it
// to the catalog. The last one is not applied: nothing after it is visited. visit may
// return the catalog after the migration instead, when it replayed that very parse
// from that History itself (an analysis of the file): the migration is then not
// applied again. A migration is applied in place (the catalogs between its statements are scratch): the analysis of
// a file replays it again, in place too, which costs less than a snapshot after each of
// its statements (a copy of the changed paths per statement, all alive until the
// analysis ends). file returns a migration's parsed file (nil when it cannot be read);
// it runs on up to workers goroutines, ahead of the replay by a bounded window (see
// window), so parsing is parallel while few parsed files wait. Migrations migsafe
// cannot read (Opaque, or file nil) leave the catalog not knowing what is absent.
func Replay(s *Set, last, workers int, file func(i int) *migration.File, visit func(i int, h *History) *Catalog) {
	if last >= len(s.Migrations) {
		last = len(s.Migrations) - 1
	}
	if last < 0 {
		return
	}
	if workers < 1 {
		workers = 1
	}
	n := last + 1
	win := newWindow(workers)
	ready := make([]chan *migration.File, n)
	for i := range ready {
		ready[i] = make(chan *migration.File, 1)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				var f *migration.File
				if !s.Migrations[i].Opaque {
					f = file(i)
				}
				win.parsed(f)
				ready[i] <- f
			}
		}()
	}
	go func() {
		for i := 0; i < n; i++ {
			win.enter()
			next <- i
		}
		close(next)
	}()
	c := &Catalog{}
	for i := 0; i < n; i++ {
		f := <-ready[i]
		win.leave(f)
		h := &History{Set: s, Index: i, Before: c}
		after := visit(i, h)
		switch {
		case i == last:
		case f == nil:
			c = c.Opaque(s.Migrations[i].Up)
		case after != nil:
			c = after
		default:
			c = c.ApplyFile(f)
		}
	}
	wg.Wait()
}

// Opaque is the catalog after a migration whose statements migsafe cannot read: what
// it knew exists still does as far as it can tell, but nothing is known absent.
func (c *Catalog) Opaque(path string) *Catalog {
	n := c.BeginFile(path)
	n.opaque = true
	return n
}
