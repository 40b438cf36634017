package commonmark

import "testing"

func TestCodeSpan(t *testing.T) {
	for in, want := range map[string]string{
		"db/0001_a.sql":  "`db/0001_a.sql`",
		"a`b.sql":        "``a`b.sql``",
		"a``b`c.sql":     "```a``b`c.sql```",
		"`lead.sql":      "`` `lead.sql ``",
		"trail`":         "`` trail` ``",
		" spaced ":       "`  spaced  `",
		"two\nlines.sql": "`two lines.sql`",
		"<b>|x":          "`<b>|x`",
	} {
		if got := CodeSpan(in); got != want {
			t.Errorf("CodeSpan(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPath(t *testing.T) {
	for in, want := range map[string]string{
		"db/migrations/0001_a.sql": "db/migrations/0001_a.sql",
		"db/a b (copy).sql":        "db/a%20b%20%28copy%29.sql",
		"db/we`ird.sql":            "db/we%60ird.sql",
		"/abs/x.sql":               "/abs/x.sql",
	} {
		if got := Path(in); got != want {
			t.Errorf("Path(%q) = %q, want %q", in, got, want)
		}
	}
}
