package report

import (
	"fmt"
	"github.com/migsafe/migsafe/engine/rules"
	"io"
	"strings"
)

// WriteGitHub writes GitHub Actions workflow commands: ::error for BLOCK, ::warning
// for FLAG, so findings show as annotations on the pull request's diff. Suppressed
// findings are left out; they are in the JSON output.
func WriteGitHub(w io.Writer, r *Report) error {
	var b strings.Builder
	for _, f := range r.Files {
		for _, fd := range f.Findings {
			cmd := "warning"
			if fd.Status == "BLOCK" {
				cmd = "error"
			}
			fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n", cmd,
				escapeProperty(f.Path), fd.Line, fd.Column, fd.EndLine, fd.EndColumn,
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
				escapeProperty(f.Path), e.Line, e.Column, title, escapeData(e.Message))
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
