package rules_test

import (
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/rules"
)

// docExamples splits the first sql block of a rule's doc (what docs/rules.md and
// `migsafe explain` show) into the example the rule reports and the one it passes.
// The part from a "-- bad" or "-- flagged" line up to a "-- good", "-- preferred",
// "-- no rewrite" or "-- reviewed" line is the bad example; the rest is safe. A block
// that starts with neither shows what the rule reports: it is all bad until a safe
// marker. ok is false when the doc has no sql block.
func docExamples(doc string) (bad, safe string, ok bool) {
	i := strings.Index(doc, "```sql\n")
	if i < 0 {
		return "", "", false
	}
	block := doc[i+len("```sql\n"):]
	block = block[:strings.Index(block, "```")]
	var b, s strings.Builder
	cur := &b
	for _, l := range strings.SplitAfter(block, "\n") {
		switch {
		case strings.HasPrefix(l, "-- bad"), strings.HasPrefix(l, "-- flagged"):
			cur = &b
		case strings.HasPrefix(l, "-- good"), strings.HasPrefix(l, "-- preferred"), strings.HasPrefix(l, "-- no rewrite"), strings.HasPrefix(l, "-- reviewed"):
			cur = &s
		}
		cur.WriteString(l)
	}
	return b.String(), s.String(), true
}

// Every rule's documented examples do what the doc says: the bad one gets a finding of
// that rule, the safe one none, so the docs cannot drift from the rules.
func TestDocExamples(t *testing.T) {
	// The context an example assumes that the doc states in prose.
	context := map[string]string{
		"missing-down-migration": `runner = "goose"`,
		"empty-down-migration":   `runner = "goose"`,
	}
	// Safe examples that hold only with a catalog the doc describes in a comment.
	needsCatalog := map[string]bool{
		"changing-column-type":        true, // "-- when note is varchar(200)": without the old type it is a Verify
		"irreversible-down-migration": true, // two files, the up and the down
	}
	var optIn []string
	for _, r := range rules.All {
		if r.OptIn {
			optIn = append(optIn, `"`+r.ID+`"`)
		}
	}
	for _, r := range rules.All {
		bad, safe, ok := docExamples(r.Doc)
		if !ok {
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			toml := context[r.ID] + "\n[rules]\nenable = [" + strings.Join(optIn, ", ") + "]\n"
			cfg, err := config.Parse("migsafe.toml", []byte(toml), rules.Known)
			if err != nil {
				t.Fatal(err)
			}
			reports := func(sql string) bool {
				res := engine.Analyze("0042_example.sql", sql, cfg, engine.Options{NoSiblings: true})
				for _, f := range res.Findings {
					if f.Rule.ID == r.ID {
						return true
					}
				}
				return false
			}
			if bad != "" && !reports(bad) {
				t.Errorf("the doc's bad example gets no %s finding:\n%s", r.ID, bad)
			}
			if safe != "" && !needsCatalog[r.ID] && reports(safe) {
				t.Errorf("the doc's safe example still gets a %s finding:\n%s", r.ID, safe)
			}
		})
	}
}
