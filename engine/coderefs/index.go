package coderefs

import (
	"errors"
	"os"
	"runtime"
	"slices"
	"sort"
	"sync"
)

// Index is one tree's code files and the identifiers each contains. Building it reads
// every file once; a query looks up the files containing a name and extracts the uses
// of only those, caching the extraction per file until the file changes.
type Index struct {
	tree   tree
	filter filter
	built  once
	// running is set for the previous release's code, which is running while the
	// migration runs: its models that loaded a column at start-up use it.
	running bool

	mu     sync.Mutex
	files  []*file
	byPath map[string]int32
	// shards are the postings (identifier -> files containing it) built by each
	// worker; changes after the build add to extra. A file that lost an identifier
	// keeps its stale posting: queries re-check every candidate, so it costs a parse,
	// never a wrong answer.
	shards []map[word][]int32
	extra  map[word][]int32
	// migrations are the files known to hold migration text before the build
	// (Workspace.KnownMigration): the build skips them unread.
	migrations map[string]bool
}

type file struct {
	entry
	gone bool
	// refs is the extraction, filled by the first query that needs the file.
	refs *fileRefs
}

func newIndex(t tree, f filter) *Index {
	return &Index{tree: t, filter: f, byPath: map[string]int32{}, extra: map[word][]int32{}}
}

func (x *Index) build() error {
	return x.built.do(func() error {
		all, err := x.tree.list()
		if err != nil {
			return err
		}
		var es []entry
		for _, e := range all {
			if x.filter.keep(e.path) {
				es = append(es, e)
			}
		}
		// A known migration is notCode whatever else it holds: it is left unread.
		x.mu.Lock()
		todo, at := es, []int(nil)
		if len(x.migrations) > 0 {
			todo = nil
			for i, e := range es {
				if !x.migrations[e.path] {
					todo, at = append(todo, e), append(at, i)
				}
			}
		}
		x.migrations = nil
		x.mu.Unlock()
		workers := runtime.GOMAXPROCS(0)
		free := make(chan map[word][]int32, workers)
		for i := 0; i < workers; i++ {
			free <- map[word][]int32{}
		}
		read := make([]bool, len(es))
		err = x.tree.read(todo, func(i int, data []byte) {
			if at != nil {
				i = at[i]
			}
			if notCode(es[i].path, data) {
				return
			}
			read[i] = true
			s := <-free
			addPostings(s, int32(i), data)
			free <- s
		})
		if err != nil {
			return err
		}
		close(free)
		x.mu.Lock()
		defer x.mu.Unlock()
		x.files = make([]*file, len(es))
		for i, e := range es {
			x.files[i] = &file{entry: e, gone: !read[i]}
			x.byPath[e.path] = int32(i)
		}
		for s := range free {
			x.shards = append(x.shards, s)
		}
		return nil
	})
}

// knownMigration records that the file at p (relative to the root) holds migration
// text, unless the index is built already.
func (x *Index) knownMigration(p string) {
	if x.built.finished() {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.migrations == nil {
		x.migrations = map[string]bool{}
	}
	x.migrations[p] = true
}

// Files is the number of code files the index read.
func (x *Index) count() int {
	n := 0
	for _, f := range x.files {
		if !f.gone {
			n++
		}
	}
	return n
}

// changed re-reads one working-tree file after an edit, a creation or a deletion.
func (x *Index) changed(p string) {
	if !x.built.finished() || !x.filter.keep(p) {
		return
	}
	data, err := x.tree.readOne(entry{path: p})
	x.mu.Lock()
	defer x.mu.Unlock()
	id, known := x.byPath[p]
	if !known {
		if err != nil {
			return
		}
		id = int32(len(x.files))
		x.files = append(x.files, &file{entry: entry{path: p}})
		x.byPath[p] = id
	}
	f := x.files[id]
	f.refs = nil
	f.gone = err != nil || notCode(p, data)
	if !f.gone {
		addPostings(x.extra, id, data)
	}
}

// candidates are the files containing one of words, in path order.
func (x *Index) candidates(words []string) []*file {
	x.mu.Lock()
	defer x.mu.Unlock()
	seen := map[int32]bool{}
	var out []*file
	add := func(ids []int32) {
		for _, id := range ids {
			if !seen[id] && !x.files[id].gone {
				seen[id] = true
				out = append(out, x.files[id])
			}
		}
	}
	for _, w := range words {
		k := wordOf(w)
		for _, s := range x.shards {
			add(s[k])
		}
		add(x.extra[k])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// find reports the uses of q in this tree.
func (x *Index) find(q query) (Revision, error) {
	if err := x.build(); err != nil {
		return Revision{}, err
	}
	var rev Revision
	cands := x.candidates(q.words)
	x.extractAll(cands)
	certain := map[*file]bool{}
	for _, f := range cands {
		fr, err := x.extract(f)
		if err != nil {
			continue
		}
		us := fr.match(q)
		rev.Uses = append(rev.Uses, us...)
		if x.running && slices.ContainsFunc(us, func(u Use) bool { return u.Kind.Certain() }) {
			certain[f] = true
		}
	}
	if x.running && q.column != "" {
		// The table's models need not name the column: look for them by the table
		// (a file that already uses the column is named for that).
		seen := map[*file]bool{}
		for _, f := range cands {
			seen[f] = true
		}
		var more []*file
		for _, f := range x.candidates(newQuery(Object{Table: q.table}).words) {
			if !seen[f] {
				more = append(more, f)
			}
		}
		x.extractAll(more)
		for _, f := range append(cands, more...) {
			if fr, err := x.extract(f); err == nil && !certain[f] {
				rev.Uses = append(rev.Uses, fr.loading(q)...)
			}
		}
	}
	x.mu.Lock()
	rev.Files = x.count()
	x.mu.Unlock()
	rev.Uses = sortUses(rev.Uses)
	return rev, nil
}

// extractAll extracts the files not extracted yet in one read of the tree, on every
// core: a query's candidates are many files (one git cat-file for all of them at the
// base revision, not one process each). A file the read skips is left to extract,
// which says why.
func (x *Index) extractAll(fs []*file) {
	var todo []*file
	x.mu.Lock()
	for _, f := range fs {
		if f.refs == nil {
			todo = append(todo, f)
		}
	}
	x.mu.Unlock()
	if len(todo) < 2 {
		return
	}
	es := make([]entry, len(todo))
	for i, f := range todo {
		es[i] = f.entry
	}
	x.tree.read(es, func(i int, data []byte) {
		fr := extract(todo[i].path, data)
		x.mu.Lock()
		todo[i].refs = fr
		x.mu.Unlock()
	})
}

func (x *Index) extract(f *file) (*fileRefs, error) {
	x.mu.Lock()
	fr := f.refs
	x.mu.Unlock()
	if fr != nil {
		return fr, nil
	}
	data, err := x.tree.readOne(f.entry)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			x.mu.Lock()
			f.gone = true
			x.mu.Unlock()
		}
		return nil, err
	}
	fr = extract(f.path, data)
	x.mu.Lock()
	f.refs = fr
	x.mu.Unlock()
	return fr, nil
}

// notCode: what a file its name let through holds is no code after all: binary data,
// or a migration whose directives name its runner where no directory name said so
// (isMigrationText). Such a file is neither read for uses nor counted as read.
func notCode(p string, data []byte) bool {
	return isBinary(data) || isMigrationText(p, data)
}

// isBinary: a NUL byte in the first 8 KiB, as git decides.
func isBinary(data []byte) bool {
	n := len(data)
	if n > 8192 {
		n = 8192
	}
	for _, c := range data[:n] {
		if c == 0 {
			return true
		}
	}
	return false
}

// word is the key of a posting: the FNV-1a hash of a lower-case identifier. Hashing
// while scanning allocates no string per identifier; two identifiers sharing a key only
// add candidates, which every query re-checks.
type word uint64

const (
	fnvOffset word = 14695981039346656037
	fnvPrime  word = 1099511628211
)

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// wordOf is the key of an identifier.
func wordOf(s string) word {
	h := fnvOffset
	for i := 0; i < len(s); i++ {
		h = (h ^ word(lowerByte(s[i]))) * fnvPrime
	}
	return h
}

// addPostings records that file id contains each identifier of data (case folded), and
// each part of an identifier joined with "__" (Django's lookups: nickname__icontains).
func addPostings(m map[word][]int32, id int32, data []byte) {
	add := func(k word) {
		ps, ok := m[k]
		switch {
		case !ok:
			m[k] = []int32{id}
		case ps[len(ps)-1] != id:
			m[k] = append(ps, id)
		}
	}
	for i := 0; i < len(data); {
		c := data[i]
		if !identStart(c) {
			// Skip a number or any other byte; a digit run must not start an identifier.
			i++
			if isDigit(c) {
				for i < len(data) && identPart(data[i]) {
					i++
				}
			}
			continue
		}
		h, dunder := fnvOffset, false
		j := i
		for ; j < len(data) && identPart(data[j]); j++ {
			h = (h ^ word(lowerByte(data[j]))) * fnvPrime
			dunder = dunder || data[j] == '_' && j+1 < len(data) && data[j+1] == '_'
		}
		add(h)
		if dunder {
			for _, part := range splitDunder(data[i:j]) {
				add(wordOf(string(part)))
			}
		}
		i = j
	}
}

func splitDunder(w []byte) [][]byte {
	var parts [][]byte
	start := 0
	for i := 0; i+1 < len(w); i++ {
		if w[i] == '_' && w[i+1] == '_' {
			if i > start {
				parts = append(parts, w[start:i])
			}
			start = i + 2
			i++
		}
	}
	if start < len(w) {
		parts = append(parts, w[start:])
	}
	return parts
}

// eachIdent calls fn with the span of each identifier ([A-Za-z_][A-Za-z0-9_]*) of data.
func eachIdent(data []byte, fn func(start, end int)) {
	for i := 0; i < len(data); {
		c := data[i]
		if !identStart(c) {
			// Skip a number or any other byte; a digit run must not start an identifier.
			if isDigit(c) {
				for i < len(data) && identPart(data[i]) {
					i++
				}
				continue
			}
			i++
			continue
		}
		j := i + 1
		for j < len(data) && identPart(data[j]) {
			j++
		}
		fn(i, j)
		i = j
	}
}

func identStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func identPart(c byte) bool { return identStart(c) || isDigit(c) }
