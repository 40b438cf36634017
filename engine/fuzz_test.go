package engine_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
)

// fuzzPaths make the fuzzer exercise each runner's detection and sections.
var fuzzPaths = []string{
	"x.sql",
	"migrations/0001_x.up.sql",
	"migrations/0001_x.down.sql",
	"db/migrations/20240101000000_x.sql",
	"db/migration/V1_2__x.sql",
	"prisma/migrations/20240101000000_x/migration.sql",
	"migrations/2024-01-01-000000_x/up.sql",
	"deploy/x.sql",
}

// addFixtureSeeds seeds a fuzz target with every rule fixture.
func addFixtureSeeds(f *testing.F, add func(path, text string)) {
	root := filepath.Join("..", "testdata", "rules")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".sql") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		add(p, string(data))
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
}

// FuzzAnalyze runs the whole analysis on arbitrary text: it must not panic, no rule
// may panic (Analyze recovers those and logs them, so the target watches the log), and
// everything it reports must be located inside the text.
func FuzzAnalyze(f *testing.F) {
	addFixtureSeeds(f, func(p, text string) {
		for i, fp := range fuzzPaths {
			if strings.Contains(p, "goose") == strings.Contains(fp, "20240101000000_x.sql") {
				f.Add(uint8(i), text)
			}
		}
	})
	f.Add(uint8(0), "SELECT 1;\r\nSELECT 'é😀';\r\n")
	f.Add(uint8(3), "-- +goose Up\n-- +goose StatementBegin\nSELECT 1\n-- +goose StatementEnd\n-- +goose Down\nSELECT 2;")
	cfg, err := config.Parse("migsafe.toml", []byte("[tables]\nusers = \"50M\"\nfeature_flags = 40\n"), nil)
	if err != nil {
		f.Fatal(err)
	}
	noSiblings := func(string) ([]byte, error) { return nil, fs.ErrNotExist }
	f.Fuzz(func(t *testing.T, which uint8, text string) {
		path := fuzzPaths[int(which)%len(fuzzPaths)]
		res := analyzeWatchingPanics(t, path, text, cfg, noSiblings)
		checkInvariants(t, res)
		offsets := make([]int, 0, len(text)+1)
		for i := 0; i <= len(text) && i <= 4096; i++ {
			offsets = append(offsets, i)
		}
		checkRoundTrip(t, res.File.Source, offsets)
	})
}

var (
	stderrOnce sync.Once
	stderrLog  *os.File
)

// analyzeWatchingPanics runs Analyze with os.Stderr sent to a file and fails when
// anything was written there: Analyze logs a rule's recovered panic to stderr and
// writes nothing else. Fuzz iterations run one at a time per process, so swapping
// os.Stderr is safe here.
func analyzeWatchingPanics(t *testing.T, path, text string, cfg *config.Config, read func(string) ([]byte, error)) *engine.Result {
	stderrOnce.Do(func() {
		var err error
		if stderrLog, err = os.CreateTemp("", "migsafe-fuzz-stderr"); err != nil {
			t.Fatal(err)
		}
		os.Remove(stderrLog.Name())
	})
	if err := stderrLog.Truncate(0); err != nil {
		t.Fatal(err)
	}
	if _, err := stderrLog.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = stderrLog
	res := engine.Analyze(path, text, cfg, engine.Options{ReadFile: read})
	os.Stderr = saved
	if st, err := stderrLog.Stat(); err == nil && st.Size() > 0 {
		msg := make([]byte, min(st.Size(), 2000))
		stderrLog.ReadAt(msg, 0)
		t.Fatalf("analysis of %s logged: %s", path, msg)
	}
	return res
}
