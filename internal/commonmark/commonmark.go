// Package commonmark writes text into Markdown (CommonMark, as GitHub and GitLab render
// it) so that it shows as written: file names and identifiers may hold backticks,
// spaces or parentheses, which broke the pull-request comment's code spans and links.
package commonmark

import (
	"net/url"
	"strings"
)

// CodeSpan is s as a code span. Its fence is one backtick longer than the longest run
// of backticks in s (a span closes at a run of its fence's length only), and s is padded
// with a space on each side when it begins or ends with a backtick or a space, which
// the renderer strips one of from each side. A line break would end a heading or list
// item, so it becomes a space, as a renderer shows it inside a span anyway.
func CodeSpan(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if s != "" && (s[0] == '`' || s[len(s)-1] == '`' || s[0] == ' ' || s[len(s)-1] == ' ') {
		s = " " + s + " "
	}
	return fence + s + fence
}

// Path is a slash-separated path as a link destination: each segment percent-encoded,
// so that a space (which ends a destination), a parenthesis or a backtick in a file
// name leaves the link whole; the renderer and the browser decode it back.
func Path(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}
