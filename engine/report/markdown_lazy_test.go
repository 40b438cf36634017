package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/engine/runbook"
)

// A capped comment builds the runbooks (and fix diffs) of the files it shows, not of
// every file: each runbook analyses its file's fixes again, and the corpus' dhis2
// comment of 64 KB took 25 s building all of them for files it then left out.
func TestCappedCommentBuildsShownRunbooksOnly(t *testing.T) {
	var results []*engine.Result
	for i := 1; i <= 200; i++ {
		path := fmt.Sprintf("migrations/%04d_add_index.sql", i)
		text := fmt.Sprintf("CREATE INDEX idx_%d ON users (email);\nALTER TABLE users ADD COLUMN c%d int NOT NULL;\n", i, i)
		results = append(results, engine.Analyze(path, text, config.Default(), engine.Options{NoSiblings: true}))
	}
	built := 0
	buildRunbook = func(res *engine.Result, opts runbook.Options) *runbook.Runbook {
		built++
		return runbook.Build(res, opts)
	}
	defer func() { buildRunbook = runbook.Build }()
	var b bytes.Buffer
	if err := WriteMarkdown(&b, Build(results), MarkdownOptions{Limit: CommentLimit}); err != nil {
		t.Fatal(err)
	}
	shown := strings.Count(b.String(), "\n## ")
	if shown == 0 || shown == len(results) || !strings.Contains(b.String(), "are not shown") {
		t.Fatalf("the comment shows %d of %d files: the test needs a capped comment", shown, len(results))
	}
	if built > shown+1 {
		t.Errorf("a comment showing %d files built %d runbooks (one more is the one that did not fit)", shown, built)
	}
}
