package coderefs

import (
	"path"
	"regexp"
	"strings"
)

// ignoreRule is one line of a .gitignore (or one code_exclude pattern), compiled.
type ignoreRule struct {
	re      *regexp.Regexp
	negate  bool
	dirOnly bool
}

// ignoreList is the rules of one .gitignore, relative to its directory (dir is "" at
// the root).
type ignoreList struct {
	dir   string
	rules []ignoreRule
}

// parseIgnore compiles gitignore text (gitignore(5): blank lines and # comments
// skipped, ! negates, a trailing / matches directories only, a pattern with a slash
// elsewhere is anchored to the file's directory, ** spans directories).
func parseIgnore(dir, text string) ignoreList {
	l := ignoreList{dir: dir}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if !strings.HasSuffix(line, `\ `) {
			line = strings.TrimRight(line, " ")
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if r, ok := compileIgnore(line); ok {
			l.rules = append(l.rules, r)
		}
	}
	return l
}

func compileIgnore(p string) (ignoreRule, bool) {
	var r ignoreRule
	if strings.HasPrefix(p, "!") {
		r.negate = true
		p = p[1:]
	} else if strings.HasPrefix(p, `\!`) || strings.HasPrefix(p, `\#`) {
		p = p[1:]
	}
	if strings.HasSuffix(p, "/") {
		r.dirOnly = true
		p = strings.TrimRight(p, "/")
	}
	if p == "" {
		return r, false
	}
	anchored := strings.Contains(p, "/")
	p = strings.TrimPrefix(p, "/")
	var b strings.Builder
	if anchored {
		b.WriteString("^")
	} else {
		b.WriteString("^(?:.*/)?")
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case strings.HasPrefix(p[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 2
		case strings.HasPrefix(p[i:], "/**") && i+3 == len(p):
			b.WriteString("(?:/.*)?")
			i += 2
		case strings.HasPrefix(p[i:], "**"):
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			j := strings.IndexByte(p[i:], ']')
			if j < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := p[i+1 : i+j]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += j
		case c == '\\' && i+1 < len(p):
			i++
			b.WriteString(regexp.QuoteMeta(string(p[i])))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return r, false
	}
	r.re = re
	return r, true
}

// match says whether the list ignores (1), re-includes (-1) or says nothing about (0)
// the slash path p (relative to the workspace root).
func (l ignoreList) match(p string, isDir bool) int {
	rel := p
	if l.dir != "" {
		if !strings.HasPrefix(p, l.dir+"/") {
			return 0
		}
		rel = p[len(l.dir)+1:]
	}
	verdict := 0
	for _, r := range l.rules {
		if r.dirOnly && !isDir {
			continue
		}
		if r.re.MatchString(rel) {
			verdict = 1
			if r.negate {
				verdict = -1
			}
		}
	}
	return verdict
}

// ignored applies the lists in order (outer directories first): the last one that
// says something wins, as in git.
func ignored(lists []ignoreList, p string, isDir bool) bool {
	out := false
	for _, l := range lists {
		switch l.match(p, isDir) {
		case 1:
			out = true
		case -1:
			out = false
		}
	}
	return out
}

// underIgnored reports a path inside an ignored directory: git never looks inside one,
// so a negation cannot bring its files back.
func underIgnored(lists []ignoreList, p string) bool {
	for d := path.Dir(p); d != "." && d != "/" && d != ""; d = path.Dir(d) {
		if ignored(lists, d, true) {
			return true
		}
	}
	return false
}
