package engine_test

import (
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/rules"
)

// FuzzSuppression reads arbitrary comments as ignore directives: no panic; a comment
// without the directive's word is not one; a directive read without error names only
// known rules and gives a reason; one with an error still says which form it had.
func FuzzSuppression(f *testing.F) {
	for _, c := range []string{
		"-- migsafe:ignore require-lock-timeout -- set by the runner",
		"-- migsafe:ignore-file adding-index-non-concurrently, require-lock-timeout -- empty table",
		"/* migsafe:ignore require-lock-timeout -- x */",
		"# migsafe:ignore require-lock-timeout -- rails",
		"// migsafe:ignore require-lock-timeout -- knex",
		"-- migsafe:ignore",
		"-- migsafe:ignore require-lock-timeout",
		"-- migsafe:ignore require-lock-timeout -- <reason>",
		"-- migsafe:ignore no-such-rule -- x",
		"-- migsafe:ignored x -- y",
		"--migsafe:ignore\t,,require-lock-timeout\t--\t\xff",
		"/* migsafe:ignore-file */",
	} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, ok, err := engine.ParseSuppression(migration.Comment{Start: 0, End: len(text), Text: text})
		if !ok {
			if s != nil || err != nil {
				t.Fatalf("not a directive, yet %+v, %v", s, err)
			}
			return
		}
		if s == nil || !strings.Contains(text, "migsafe:ignore") {
			t.Fatalf("directive %+v read from %q", s, text)
		}
		if s.File && !strings.Contains(text, "migsafe:ignore-file") {
			t.Fatalf("%q: File %v", text, s.File)
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if len(s.Rules) == 0 || strings.TrimSpace(s.Reason) == "" {
			t.Fatalf("%q accepted with rules %q, reason %q", text, s.Rules, s.Reason)
		}
		for _, id := range s.Rules {
			if !rules.Known(id) {
				t.Fatalf("%q accepted with unknown rule %q", text, id)
			}
		}
	})
}
