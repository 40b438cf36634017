package project

import (
	"sync"

	"github.com/migsafe/migsafe/engine/migration"
)

// The window of parses Replay runs ahead of its catalog: at least windowFilesPerWorker
// files per worker, and beyond that more while the parsed files waiting for the replay
// hold less than windowBytes of text, up to windowMaxFiles. A window counted in files
// alone left a core idle for about a fifth of a check over the corpus: the replay
// waited for one large file in order while the files after it, parsed already, filled
// the window. Bytes bound what the waiting parses hold (a parsed file is some tens of
// times its text), whatever the sizes of the files.
const (
	windowFilesPerWorker = 2
	windowBytes          = 64 << 10
	windowMaxFiles       = 32
)

// window admits parses ahead of the replay.
type window struct {
	mu   sync.Mutex
	room *sync.Cond
	// least is the files always admitted; ahead the files admitted and not yet
	// replayed; waiting the bytes of text of those parsed among them.
	least, ahead, waiting int
}

func newWindow(workers int) *window {
	w := &window{least: windowFilesPerWorker * workers}
	w.room = sync.NewCond(&w.mu)
	return w
}

// enter waits until one more file may be parsed ahead.
func (w *window) enter() {
	w.mu.Lock()
	for w.ahead >= w.least && (w.waiting >= windowBytes || w.ahead >= windowMaxFiles) {
		w.room.Wait()
	}
	w.ahead++
	w.mu.Unlock()
}

// parsed counts a parsed file (nil when unread) as waiting for the replay.
func (w *window) parsed(f *migration.File) {
	w.mu.Lock()
	w.waiting += textBytes(f)
	w.mu.Unlock()
}

// leave takes a file the replay has reached out of the window.
func (w *window) leave(f *migration.File) {
	w.mu.Lock()
	w.ahead--
	w.waiting -= textBytes(f)
	w.mu.Unlock()
	w.room.Signal()
}

func textBytes(f *migration.File) int {
	if f == nil || f.Source == nil {
		return 0
	}
	return len(f.Source.Text)
}
