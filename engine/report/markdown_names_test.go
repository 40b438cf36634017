package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/report"
)

// A file name with backticks, spaces or parentheses keeps the comment's code spans
// and links whole: "[`db/we`ird.sql`](db/we`ird.sql)" closed the span at the name's
// backtick, showing the rest as text with stray backticks, and a space ended the link.
func TestMarkdownOddFileNames(t *testing.T) {
	block := engine.Analyze("db/we`ird (copy).sql", "CREATE INDEX i ON users (email);\n", config.Default(), engine.Options{})
	safe := engine.Analyze("`safe`.sql", "CREATE TABLE pets (id bigint PRIMARY KEY);\n", config.Default(), engine.Options{})
	var b bytes.Buffer
	if err := report.WriteMarkdown(&b, report.Build([]*engine.Result{block, safe}), report.MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"## 🛑 BLOCK — [``db/we`ird (copy).sql``](db/we%60ird%20%28copy%29.sql)\n",
		"(db/we%60ird%20%28copy%29.sql#L1)",
		"✅ **SAFE TO SHIP:** [`` `safe`.sql ``](%60safe%60.sql)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the comment lacks %q:\n%s", want, out)
		}
	}
}
