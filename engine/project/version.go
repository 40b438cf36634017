package project

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// version is the ordering part of a migration's name: a number (0042), a timestamp
// (20240102030405, or Diesel's 2024-01-02-030405), or a Flyway version (V12, V3_1).
type version struct {
	text string
	// format says how to write the next one.
	format versionFormat
	// n is the number, or the Unix time of a timestamp, or a Flyway major.
	n int64
}

type versionFormat int

const (
	numbered      versionFormat = iota // zero-padded to the same width
	timestamp14                        // 20060102150405
	dieselStamp                        // 2006-01-02-150405
	flywayVersion                      // 12 (the major; minors are kept by none of the new ones)
	noVersion                          // a name without one
)

const (
	timestampLayout = "20060102150405"
	dieselLayout    = "2006-01-02-150405"
)

var (
	numberedName = regexp.MustCompile(`^(\d+)([_-])(.+)$`)
	dieselName   = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}-\d{6})_(.+)$`)
	flywayVName  = regexp.MustCompile(`^V(\d+)((?:[._]\d+)*)__(.+)$`)
)

// parseVersion splits a migration's base name (without its extension) into its version
// and its descriptive rest: "000002_add_phone" -> 000002, "add_phone".
func parseVersion(stem string, flyway bool) (version, string) {
	if flyway {
		if m := flywayVName.FindStringSubmatch(stem); m != nil {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			return version{text: m[1] + m[2], format: flywayVersion, n: n}, m[3]
		}
		return version{format: noVersion}, stem
	}
	if m := dieselName.FindStringSubmatch(stem); m != nil {
		t, err := time.Parse(dieselLayout, m[1])
		if err == nil {
			return version{text: m[1], format: dieselStamp, n: t.Unix()}, m[2]
		}
	}
	if m := numberedName.FindStringSubmatch(stem); m != nil {
		if len(m[1]) == 14 {
			if t, err := time.Parse(timestampLayout, m[1]); err == nil {
				return version{text: m[1], format: timestamp14, n: t.Unix()}, m[3]
			}
		}
		if n, err := strconv.ParseInt(m[1], 10, 64); err == nil {
			return version{text: m[1], format: numbered, n: n}, m[3]
		}
	}
	return version{format: noVersion}, stem
}

// after is the version that follows v by steps: one number or one second later, in v's
// format.
func (v version) after(steps int64) version {
	out := version{format: v.format, n: v.n + steps}
	switch v.format {
	case numbered:
		out.text = fmt.Sprintf("%0*d", len(v.text), out.n)
	case timestamp14:
		out.text = time.Unix(out.n, 0).UTC().Format(timestampLayout)
	case dieselStamp:
		out.text = time.Unix(out.n, 0).UTC().Format(dieselLayout)
	case flywayVersion:
		out.text = strconv.FormatInt(out.n, 10)
	}
	return out
}

// later reports whether v sorts after w as the runner orders them.
func (v version) later(w version) bool { return v.n > w.n }

// sep is the separator between a version and the rest of the name: the one the file
// uses ("0042-x" keeps its dash).
func separator(stem string) string {
	if m := numberedName.FindStringSubmatch(stem); m != nil {
		return m[2]
	}
	return "_"
}

// slug makes a phase or change name safe in a file name: lower case, [a-z0-9_].
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return strings.Trim(b.String(), "_")
}
