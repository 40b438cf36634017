package report_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/report"
)

// A file whose findings fit under the cap but whose runbook does not gets its findings
// in full and a line saying the runbook is left out: the runbook was dropped under a
// note of "0 more findings (0 BLOCK, 0 FLAG) are not shown".
func TestMarkdownRunbookOverCap(t *testing.T) {
	var sql strings.Builder
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&sql, "ALTER TABLE t%d ALTER COLUMN id TYPE bigint;\n", i)
	}
	res := engine.Analyze("big.sql", sql.String(), config.Default(), engine.Options{NoSiblings: true})
	r := report.Build([]*engine.Result{res})
	var full, capped bytes.Buffer
	if err := report.WriteMarkdown(&full, r, report.MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	const limit = 8000
	if full.Len() <= limit || !strings.Contains(full.String(), "Runbook") {
		t.Fatalf("the example's comment is %d bytes: it must hold a runbook over the %d-byte cap", full.Len(), limit)
	}
	if err := report.WriteMarkdown(&capped, r, report.MarkdownOptions{Limit: limit}); err != nil {
		t.Fatal(err)
	}
	md := capped.String()
	if strings.Contains(md, "more finding") || strings.Contains(md, "<summary>Runbook") {
		t.Errorf("the capped comment should hold no runbook and no note on findings left out:\n%s", md)
	}
	if !strings.Contains(md, "*Runbook not shown (the comment's size cap): run `migsafe runbook` on `big.sql`.*") || !strings.Contains(md, "```sql") {
		t.Errorf("the capped comment should say the runbook is left out and keep the statements:\n%s", md)
	}
	if got, want := shown(md), r.Summary.Block+r.Summary.Flag; got != want || want == 0 {
		t.Errorf("the comment shows %d findings, the report has %d", got, want)
	}
}
