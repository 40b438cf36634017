package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/migsafe/migsafe/engine/rules"
)

// annotationsShown is how many annotations of one kind (error, warning, notice)
// GitHub shows for a step; it drops the rest without a word.
const annotationsShown = 10

// WriteGitHub writes GitHub Actions workflow commands: ::error for BLOCK, ::warning
// for FLAG, so findings show as annotations on the pull request's diff. Suppressed
// findings are left out; they are in the JSON output. When there are more errors or
// warnings than GitHub shows, a notice first says how many there are (it would be
// dropped itself behind ten notices), since the rest are in the log only.
func WriteGitHub(w io.Writer, r *Report) error {
	var b strings.Builder
	kinds := map[string]int{}
	for _, f := range r.Files {
		for _, fd := range f.Findings {
			kinds[fd.Status]++
		}
		for _, e := range f.Errors {
			kinds[e.Status()]++
		}
	}
	if block, flag := kinds[rules.Block.String()], kinds[rules.Flag.String()]; block > annotationsShown || flag > annotationsShown {
		fmt.Fprintf(&b, "::notice title=migsafe::%s\n", escapeData(fmt.Sprintf(
			"%d BLOCK and %d FLAG findings in %d %s; GitHub shows the first %d annotations of each kind, the step's log has every one",
			block, flag, len(r.Files), plural(len(r.Files), "file", "files"), annotationsShown)))
	}
	root := reviewRoot()
	for _, f := range r.Files {
		path := escapeProperty(repoPath(root, f.Path)) // the runner reads it from the repository's root
		for _, fd := range f.Findings {
			cmd := "warning"
			if fd.Status == "BLOCK" {
				cmd = "error"
			}
			fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n", cmd,
				path, fd.Line, fd.Column, fd.EndLine, fd.EndColumn,
				escapeProperty(fd.Rule), escapeData(fd.Message+joinNonEmpty("\n", fd.Help)))
		}
		for _, e := range f.Errors {
			cmd, title := "warning", e.Label()
			switch e.Status() {
			case rules.Block.String():
				cmd = "error"
			case rules.OK.String():
				cmd = "notice"
			}
			fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", cmd,
				path, e.Line, e.Column, title, escapeData(e.Message))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// escapeData escapes a workflow command's message as the runner's toolkit does.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a property value, which also may not contain ':' or ','.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
