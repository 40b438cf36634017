package project

import (
	"sync"

	"github.com/migsafe/migsafe/engine/migration"
)

// Replay walks the migrations of s from the first through index last, in order,
// applying each to the catalog once and calling visit with its History (the catalog
// before it) after it is applied. file returns a migration's parsed file (nil when it
// cannot be read) and whether to keep the catalog after each of its statements in
// the History (for an analysis that shares the replay's parse). file runs on up to
// workers goroutines, ahead of the replay by a bounded window, so parsing is parallel
// while no more parsed files are held than the window. Migrations migsafe cannot
// read (Opaque, or file nil) leave the catalog not knowing what is absent.
func Replay(s *Set, last, workers int, file func(i int) (f *migration.File, keep bool), visit func(i int, h *History)) {
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
	type parsed struct {
		f    *migration.File
		keep bool
	}
	slots := make(chan struct{}, 2*workers)
	ready := make([]chan parsed, n)
	for i := range ready {
		ready[i] = make(chan parsed, 1)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if s.Migrations[i].Opaque {
					ready[i] <- parsed{}
					continue
				}
				f, keep := file(i)
				ready[i] <- parsed{f, keep}
			}
		}()
	}
	go func() {
		for i := 0; i < n; i++ {
			slots <- struct{}{}
			next <- i
		}
		close(next)
	}()
	c := &Catalog{}
	for i := 0; i < n; i++ {
		p := <-ready[i]
		<-slots
		h := &History{Set: s, Index: i, Before: c}
		switch {
		case p.f == nil:
			c = c.Opaque(s.Migrations[i].Up)
		case p.keep:
			c, h.steps = c.ApplySteps(p.f)
		default:
			c = c.ApplyFile(p.f)
		}
		visit(i, h)
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
