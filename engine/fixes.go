package engine

import (
	"fmt"
	"os"
	"sync"

	"github.com/migsafe/migsafe/codeactions"
	"github.com/migsafe/migsafe/engine/rules"
)

// fixes are a finding's fixes, built once, on first use: in full, or for their titles
// alone (a report lists them) until something asks for the rest.
type fixes struct {
	build rules.FixBuilder
	// site is the statement build builds them on (Pass.Site): where the rule saw it,
	// or where an edited version of the file moved it (reuseMoved).
	site codeactions.Site
	mu   *sync.Mutex
	// list is the full build once built is set; titles the TitlesOnly one.
	built, titled bool
	list, titles  []codeactions.Fix
	// failed records the internal-error problem of a fix builder that panicked.
	failed func(Problem)
}

func newFixes(build rules.FixBuilder, site codeactions.Site, failed func(Problem)) fixes {
	return fixes{build: build, site: site, mu: new(sync.Mutex), failed: failed}
}

// Fixes are the fixes the rule attached to the finding, the preferred one first,
// built on the first call. A fix is a convenience: one that panics is dropped rather
// than taking the language server or the report down, and becomes an internal-error
// problem of the result at the statement, so `migsafe fix` does not pretend there was
// nothing to fix.
func (f *Finding) Fixes() []codeactions.Fix {
	if f.fixes.build == nil || f.fixes.mu == nil {
		return nil
	}
	f.fixes.mu.Lock()
	defer f.fixes.mu.Unlock()
	if !f.fixes.built {
		f.fixes.list, f.fixes.built = f.buildFixes(false), true
	}
	return f.fixes.list
}

// FixTitles are Fixes as far as their titles, kinds and preference go, which is all a
// report shows of them: their edits, files and phases may be missing. They are built
// without the rest unless Fixes has built that already.
func (f *Finding) FixTitles() []codeactions.Fix {
	if f.fixes.build == nil || f.fixes.mu == nil {
		return nil
	}
	f.fixes.mu.Lock()
	defer f.fixes.mu.Unlock()
	if f.fixes.built {
		return f.fixes.list
	}
	if !f.fixes.titled {
		f.fixes.titles, f.fixes.titled = titlesOf(f.buildFixes(true)), true
	}
	return f.fixes.titles
}

// titlesOf is a titles-only build as FixTitles keeps it: each fix's title, kind,
// preference and place among the others, without what the builder made besides (edits,
// a first phase), in a list of its own length. A report holds every finding's titles
// until the file is written: a DDL-only file of 10 MB has 60,000 findings, whose builds
// kept 35 MB.
func titlesOf(list []codeactions.Fix) []codeactions.Fix {
	if len(list) == 0 {
		return list
	}
	out := make([]codeactions.Fix, len(list))
	for i, fx := range list {
		out[i] = codeactions.Fix{Title: fx.Title, Kind: fx.Kind, Preferred: fx.Preferred, AfterOthers: fx.AfterOthers}
	}
	return out
}

func (f *Finding) buildFixes(titlesOnly bool) (list []codeactions.Fix) {
	defer func() {
		if v := recover(); v != nil {
			at := f.Start
			if f.Stmt != nil {
				at = f.Stmt.Start
			}
			p := PanicProblem(v, "the fix for "+f.Rule.ID, at)
			fmt.Fprintf(os.Stderr, "migsafe: %s\n", p.Message)
			if f.fixes.failed != nil {
				f.fixes.failed(p)
			}
			list = nil
		}
	}()
	s := f.fixes.site
	s.TitlesOnly = titlesOnly
	if !titlesOnly && s.Stmt != nil && s.Stmt.Released {
		// Options.ReleaseTrees promised the caller would ask for titles alone: the
		// builder would read a statement without its tree and make other fixes.
		panic("fixes built in full after the statement's tree was released (Options.ReleaseTrees)")
	}
	return f.fixes.build(s)
}

// WithFixes gives a finding made outside Analyze (a test's) its fixes.
func (f *Finding) WithFixes(build func() []codeactions.Fix) *Finding {
	f.fixes = newFixes(func(codeactions.Site) []codeactions.Fix { return build() }, codeactions.Site{}, nil)
	return f
}
