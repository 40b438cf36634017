package runbook_test

import (
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/runbook"
)

// A file name with a backtick, and a table whose quoted name holds one or a pipe, keep
// the runbook's code spans and its impact table whole: the span closed at the name's
// backtick, and the pipe split the table's row into one cell more.
func TestMarkdownOddNames(t *testing.T) {
	up := "ALTER TABLE \"we`ird|t\" ADD COLUMN c text;\n"
	md := runbook.Build(engine.Analyze("db/0002_we`ird.sql", up, config.Default(), engine.Options{}), runbook.Options{Now: day}).Markdown(1)
	if !strings.Contains(md, "# Runbook: ``db/0002_we`ird.sql``\n") {
		t.Errorf("the heading's code span:\n%s", md)
	}
	if !strings.Contains(md, "| ``we`ird\\|t`` |") {
		t.Errorf("the impact table's row:\n%s", md)
	}
}
