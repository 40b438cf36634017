package lsp

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/migsafe/migsafe/internal/bigmigration"
)

// TestEditsPublishWhatAFreshOpenDoes edits a document at random (white space, line
// breaks and comments that only move statements, and characters that change one) and
// compares the diagnostics published for each version, byte for byte, with those a
// server that opens that text afresh publishes: the findings an edit keeps
// (engine.Options.Previous) must be exactly those a full analysis makes.
func TestEditsPublishWhatAFreshOpenDoes(t *testing.T) {
	const uri = "file:///tmp/migsafe-incremental/0001_edited.sql"
	text := bigmigration.DDL(24<<10) + "BEGIN;\nALTER TABLE users ADD COLUMN z text;\nUPDATE users SET z = 'x';\nCOMMIT;\n"
	c := newClient(t, Options{Logger: zap.NewNop()})
	c.initialize("", "")
	c.open(uri, text)
	c.waitDiags(uri, 1)
	r := rand.New(rand.NewSource(3))
	reused, resumed := 0, 0
	for v := int32(2); v < 22; v++ {
		lines := strings.Count(text, "\n")
		line := uint32(r.Intn(lines))
		ins := []string{" ", "\n", "-- a note\n", "/* x */ ", "x"}[r.Intn(5)]
		c.change(uri, v, rng(line, 0, line, 0), ins)
		c.waitDiags(uri, v)
		text = c.text(uri)
		got := c.snap(uri)
		switch k := got.res.Kept(); {
		case k == len(got.res.File.Statements):
			reused++
		case k > 0:
			resumed++
		}

		fresh := newClient(t, Options{Logger: zap.NewNop()})
		fresh.initialize("", "")
		fresh.open(uri, text)
		fresh.waitDiags(uri, 1)
		want := fresh.snap(uri)
		if a, b := got.diagsJSON.of(got.diags), want.diagsJSON.of(want.diags); !bytes.Equal(a, b) {
			t.Fatalf("version %d (%q at line %d, reused: %v): the published diagnostics differ from a fresh open's:\n%s", v, ins, line, (got.res.Kept() == len(got.res.File.Statements)), diffAt(a, b))
		}
		fresh.shutdown()
	}
	if reused == 0 || resumed == 0 {
		t.Errorf("%d edits kept all the previous findings and %d those before the edit; want some of each", reused, resumed)
	}
}

// diffAt shows where two encodings first differ.
func diffAt(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("got:  ...%s\nwant: ...%s", a[from:min(len(a), i+120)], b[from:min(len(b), i+120)])
}
