package lsp

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/project"
	"github.com/migsafe/migsafe/engine/rules"
)

// fileURI is the file:// URI of a path.
func fileURI(p string) string { return (&url.URL{Scheme: "file", Path: p}).String() }

// The server judges a migration against the ones before it in its directory, sees the
// unsaved text of an earlier open migration, and analyses the later ones again when
// that text changes.
func TestHistoryAcrossDocuments(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "0001_users.up.sql")
	if err := os.WriteFile(first, []byte("CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100));\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(dir, "0002_widen.up.sql")
	const widen = "SET lock_timeout = '5s';\nALTER TABLE users ALTER COLUMN name TYPE varchar(200);\n"
	if err := os.WriteFile(second, []byte(widen), 0o644); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, Options{})
	c.initialize(`{"textDocument": {"hover": {"contentFormat": ["markdown"]}}}`, "")
	u2 := fileURI(second)
	c.open(u2, widen)
	p := c.waitDiags(u2, 1)
	if find(p.Diagnostics, "changing-column-type") != nil || find(p.Diagnostics, "narrowing-type-change") != nil {
		t.Errorf("varchar(100) -> varchar(200) of a column from 0001 is a widening; got %v", codes(p.Diagnostics))
	}

	var h protocol.Hover
	if err := c.call(protocol.MethodTextDocumentHover, protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(u2)}, Position: protocol.Position{Line: 1, Character: 3}}}, &h); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"**Table `users`**", "created by " + first, "`name` varchar(100)", "`users_pkey` (id) unique"} {
		if !strings.Contains(h.Contents.Value, want) {
			t.Errorf("hover lacks %q:\n%s", want, h.Contents.Value)
			break
		}
	}

	// The earlier migration, opened and edited without saving, now makes the column
	// wider than the ALTER: the later document is analysed again on its own.
	u1 := fileURI(first)
	c.open(u1, "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100));\n")
	c.change(u1, 2, nil, "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(300));\n")
	deadline := time.After(10 * time.Second)
	for {
		select {
		case p := <-c.diags:
			if string(p.URI) == u2 && find(p.Diagnostics, "narrowing-type-change") != nil {
				if find(p.Diagnostics, "changing-column-type") == nil {
					t.Errorf("varchar(300) -> varchar(200) rewrites too; got %v", codes(p.Diagnostics))
				}
				return
			}
		case <-deadline:
			t.Fatal("0002 was not analysed again against the unsaved 0001")
		}
	}
}

// A table created by a migration that is not deployed yet (after deployed_through)
// is new: a lock on it waits for nobody.
func TestHistoryPendingTables(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"migsafe.toml":         "deployed_through = \"0001\"\n",
		"0001_base.up.sql":     "CREATE TABLE users (id bigint PRIMARY KEY);\n",
		"0002_events.up.sql":   "CREATE TABLE events (id bigint, user_id bigint);\n",
		"0003_index.up.sql":    "CREATE INDEX events_user_idx ON events (user_id);\nCREATE INDEX users_id_idx ON users (id);\n",
		"0003_index.down.sql":  "DROP INDEX users_id_idx;\nDROP INDEX events_user_idx;\n",
		"0002_events.down.sql": "DROP TABLE events;\n",
		"0001_base.down.sql":   "DROP TABLE users;\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t, Options{})
	c.initialize("", "")
	u := fileURI(filepath.Join(dir, "0003_index.up.sql"))
	c.open(u, files["0003_index.up.sql"])
	p := c.waitDiags(u, 1)
	var lines []uint32
	for _, d := range p.Diagnostics {
		if d.Code == indexRule {
			lines = append(lines, d.Range.Start.Line)
		}
	}
	if len(lines) != 1 || lines[0] != 1 {
		t.Errorf("%s on lines %v, want only line 2 (users is deployed, events pending)", indexRule, lines)
	}
}

// An edit starts from the previous version's catalogs where the text is unchanged
// (kept every rules.StepEvery statements): what it reports must be what a fresh analysis
// of the new text reports, and the catalogs kept before the edit are the previous
// version's own.
func TestEditReusesUnchangedCatalogs(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"a", "b"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, d, "0001_t.sql"), []byte("CREATE TABLE t (id int, name varchar(10), note varchar(10));\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// 2*StepEvery+22 statements before the edited one: two kept catalogs lie before it.
	n := 2*rules.StepEvery + 22
	var filler strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&filler, "ALTER TABLE t ADD COLUMN c_%d int;\n", i)
	}
	head := "SET lock_timeout = '1s';\n" + filler.String()
	before := head + "ALTER TABLE t ALTER COLUMN name TYPE varchar(20);\nALTER TABLE t ALTER COLUMN note TYPE varchar(30);\n"
	// The edited statement now narrows; those before it are unchanged.
	after := head + "ALTER TABLE t ALTER COLUMN name TYPE varchar(5);\nALTER TABLE t ALTER COLUMN note TYPE varchar(30);\n"
	c := newClient(t, Options{})
	c.initialize("", "")
	edited := fileURI(filepath.Join(dir, "a", "0002_x.sql"))
	c.open(edited, before)
	if d := codes(c.waitDiags(edited, 1).Diagnostics); len(d) != 0 {
		t.Fatalf("widenings of columns from 0001 reported: %v", d)
	}
	prev := c.result(edited)
	c.change(edited, 2, nil, after)
	got := codes(c.waitDiags(edited, 2).Diagnostics)
	now := c.result(edited)
	reused := 0
	for i := 0; i < n+1; i++ { // the SET and the filler
		old, ok := prev.Steps[prev.File.Statements[i]]
		if !ok {
			continue
		}
		if now.Steps[now.File.Statements[i]] != old {
			t.Errorf("the catalog after unchanged statement %d was not reused", i)
		}
		reused++
	}
	if reused != 2 { // after statements StepEvery-1 and 2*StepEvery-1
		t.Errorf("%d catalogs kept before the edit, want 2", reused)
	}
	fresh := fileURI(filepath.Join(dir, "b", "0002_x.sql"))
	c.open(fresh, after)
	want := codes(c.waitDiags(fresh, 1).Diagnostics)
	if strings.Join(got, ",") != strings.Join(want, ",") || !strings.Contains(strings.Join(got, ","), "narrowing-type-change") {
		t.Errorf("after the edit: %v; a fresh analysis of the same text: %v (want narrowing-type-change in both)", got, want)
	}
}

// Each opened buffer lists its directory again; a kept result must not hold the
// listing it was judged in, or open documents would keep one listing each.
func TestKeptResultsHoldNoListing(t *testing.T) {
	dir := t.TempDir()
	c := newClient(t, Options{})
	c.initialize("", "")
	var uris []string
	for i := 1; i <= 3; i++ {
		u := fileURI(filepath.Join(dir, fmt.Sprintf("%04d_t%d.up.sql", i, i)))
		c.open(u, fmt.Sprintf("CREATE TABLE t%d (id bigint PRIMARY KEY);\n", i))
		c.waitDiags(u, 1)
		uris = append(uris, u)
	}
	for _, u := range uris {
		h := c.result(u).History
		if h == nil || h.Before == nil {
			t.Fatalf("%s: no history (%v): the documents form one set", u, h)
		}
		if h.Set != nil {
			t.Errorf("%s: the kept result holds a listing of %d migrations", u, len(h.Set.Migrations))
		}
	}
}

// A document analysed while an earlier open one waits out its debounce (its history
// changed and it has not been analysed again yet) is judged against that document's
// text at once, and analysed once: it used to be judged against a placeholder and
// analysed again when the earlier one's analysis landed, and with many documents open
// after one such document each of them waited, was rescheduled and waited again
// (13,000 analyses and 600 MB resident for 1,000 opened files in bench.mjs).
func TestLaterDocumentDoesNotWaitForPendingOne(t *testing.T) {
	var n analysisCount
	c := newClient(t, Options{Debounce: 300 * time.Millisecond, Analyze: n.analyze})
	count := n.of
	c.initialize(`{"textDocument": {"diagnostic": {}}}`, "")
	dir := t.TempDir() // buffers only: nothing on disk
	pull := func(name, text string) []protocol.Diagnostic {
		t.Helper()
		u := fileURI(filepath.Join(dir, name))
		c.open(u, text)
		return c.pull(u)
	}
	pull("0002_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100));\n")
	// An earlier migration opens: 0002's history changed, and its analysis waits out
	// the debounce.
	pull("0001_first.up.sql", "CREATE TABLE first (id bigint PRIMARY KEY);\n")
	items := pull("0003_widen.up.sql", "SET lock_timeout = '5s';\nALTER TABLE users ALTER COLUMN name TYPE varchar(200);\n")
	if count("0002_users.up.sql") != 1 {
		t.Fatalf("0002 analysed %d times before the debounce ended; the test needs it pending", count("0002_users.up.sql"))
	}
	if find(items, "changing-column-type") != nil || find(items, "narrowing-type-change") != nil {
		t.Errorf("varchar(100) -> varchar(200) of a column from the pending 0002 is a widening; got %v", codes(items))
	}
	deadline := time.Now().Add(10 * time.Second)
	for count("0002_users.up.sql") < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(600 * time.Millisecond) // two debounces: a rescheduled 0003 would have run
	if n := count("0003_widen.up.sql"); n != 1 {
		t.Errorf("0003 analysed %d times; its text and history did not change", n)
	}
}

// A document analysed while an earlier one's analysis runs replays that document's
// text, so the end of the earlier analysis does not analyse it again. The earlier
// analysis answers its pulls before it tells the later documents, and a client that
// opened the later one in between (CI did once) saw it analysed twice.
func TestLaterDocumentAnalysedDuringEarlierAnalysisOnce(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("needs two analyses at once: the server runs one per CPU")
	}
	var n analysisCount
	release := make(chan struct{})
	analyze := func(path, text string, cfg *config.Config, opts engine.Options) *engine.Result {
		if filepath.Base(path) == "0001_users.up.sql" {
			<-release
		}
		return n.analyze(path, text, cfg, opts)
	}
	c := newClient(t, Options{Debounce: 200 * time.Millisecond, Analyze: analyze})
	c.initialize(`{"textDocument": {"diagnostic": {}}}`, "")
	dir := t.TempDir() // buffers only: nothing on disk
	first := fileURI(filepath.Join(dir, "0001_users.up.sql"))
	later := fileURI(filepath.Join(dir, "0002_widen.up.sql"))
	c.open(first, "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100));\n")
	c.open(later, "SET lock_timeout = '5s';\nALTER TABLE users ALTER COLUMN name TYPE varchar(200);\n")
	if items := c.pull(later); find(items, "changing-column-type") != nil || find(items, "narrowing-type-change") != nil {
		t.Errorf("varchar(100) -> varchar(200) of a column 0001 creates is a widening; got %v", codes(items))
	}
	close(release)
	c.pull(first)
	time.Sleep(500 * time.Millisecond) // over two debounces: a rescheduled 0002 would have run
	if got := n.of("0002_widen.up.sql"); got != 1 {
		t.Errorf("0002 analysed %d times; its text did not change, and it was judged against 0001's", got)
	}
}

// A migration set's history is kept while a document of its directory is open, and
// dropped when the last one closes.
func TestHistoryForgottenWithLastDocument(t *testing.T) {
	c := newClient(t, Options{})
	c.initialize("", "")
	a, b := t.TempDir(), t.TempDir()
	open := func(dir, name string) string {
		u := fileURI(filepath.Join(dir, name))
		c.open(u, "CREATE TABLE t (id bigint PRIMARY KEY);\n")
		c.waitDiags(u, 1)
		return u
	}
	close := func(u string) {
		c.notify(protocol.MethodTextDocumentDidClose, protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: protocol.DocumentURI(u)}})
		c.barrier()
	}
	kept := func() map[string]bool {
		c.srv.hist.mu.Lock()
		defer c.srv.hist.mu.Unlock()
		dirs := map[string]bool{}
		for k := range c.srv.hist.sets {
			_, dir, _ := strings.Cut(k, "\x00")
			dirs[dir] = true
		}
		return dirs
	}
	a1, a2 := open(a, "0001_a.up.sql"), open(a, "0002_a.up.sql")
	open(b, "0001_b.up.sql")
	if k := kept(); !k[a] || !k[b] {
		t.Fatalf("histories of %v; want both directories", k)
	}
	close(a1)
	c.waitDiags(a2, 1) // analysed again: 0001 is read from disk now (there is none)
	if k := kept(); !k[a] {
		t.Errorf("%s's history dropped while 0002 is open there", a)
	}
	close(a2)
	if k := kept(); k[a] || !k[b] {
		t.Errorf("histories of %v after closing every document of %s; want %s's only", k, a, b)
	}
}

// A document too large to replay at once is a placeholder to the documents after it
// until its analysis is done; each of them is then analysed once more, against it,
// and not once more for each other document still pending before it.
func TestPlaceholderAnalysedAgainOnce(t *testing.T) {
	var count analysisCount
	c := newClient(t, Options{Debounce: 100 * time.Millisecond, Analyze: count.analyze})
	c.initialize(`{"textDocument": {"diagnostic": {}}}`, "")
	dir := t.TempDir()
	var big strings.Builder
	big.WriteString("CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100));\n")
	for i := 0; big.Len() <= replayMax; i++ {
		fmt.Fprintf(&big, "CREATE TABLE padding_%d (id bigint PRIMARY KEY); -- padding padding padding\n", i)
	}
	c.open(fileURI(filepath.Join(dir, "0001_big.up.sql")), big.String())
	var later []string
	for i := 2; i <= 9; i++ {
		u := fileURI(filepath.Join(dir, fmt.Sprintf("%04d_widen.up.sql", i)))
		c.open(u, fmt.Sprintf("SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN c%d text;\n", i))
		c.pull(u)
		later = append(later, u)
	}
	// Settled: the big document analysed, and no analysis for two debounces since.
	deadline := time.Now().Add(20 * time.Second)
	last, quiet := -1, time.Now()
	for time.Now().Before(deadline) {
		if n := count.total(); n != last {
			last, quiet = n, time.Now()
		} else if count.of("0001_big.up.sql") > 0 && time.Since(quiet) > 500*time.Millisecond {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for i := 2; i <= 9; i++ {
		if n := count.of(fmt.Sprintf("%04d_widen.up.sql", i)); n > 2 {
			t.Errorf("%04d analysed %d times: once at its pull, and once after 0001's analysis, is all it needs", i, n)
		}
	}
	h := c.result(later[len(later)-1]).History
	if h == nil {
		t.Fatal("the last document has no history")
	}
	if _, ok := h.Before.Table(project.Name{Name: "users"}); !ok {
		t.Error("the last document's history lacks 0001's table users")
	}
}

// analysisCount counts the analyses of each file (by base name), as Options.Analyze.
type analysisCount struct {
	mu sync.Mutex
	n  map[string]int
}

func (a *analysisCount) analyze(path, text string, cfg *config.Config, opts engine.Options) *engine.Result {
	a.mu.Lock()
	if a.n == nil {
		a.n = map[string]int{}
	}
	a.n[filepath.Base(path)]++
	a.mu.Unlock()
	return engine.Analyze(path, text, cfg, opts)
}

func (a *analysisCount) of(name string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n[name]
}

func (a *analysisCount) total() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, k := range a.n {
		n += k
	}
	return n
}
