package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"
)

func init() { register("version", "print the version and the revision it was built from", runVersion) }

// buildVersion is set at link time for releases (scripts/release.sh:
// -ldflags "-X main.buildVersion=v1.2.3"); otherwise the module version from the
// build info is used: the tag or pseudo-version `go build` and `go install` record.
var buildVersion string

// buildRevision and buildTime name the commit for builds without VCS stamping
// (-buildvcs=false, a git worktree, a source archive): the release script sets them
// from git with -ldflags "-X main.buildRevision=... -X main.buildTime=...".
var buildRevision, buildTime string

// buildVCS is the revision a binary was built from, as `go build` records it in a
// clone (vcs.revision, vcs.time, vcs.modified); empty for `go install module@version`.
type buildVCS struct {
	revision, time string
	modified       bool
}

func vcsInfo(bi *debug.BuildInfo) buildVCS {
	v := buildVCS{revision: buildRevision, time: buildTime}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.revision = s.Value
		case "vcs.time":
			v.time = s.Value
		case "vcs.modified":
			v.modified = s.Value == "true"
		}
	}
	return v
}

// version is one line: the version, and the revision when the version does not
// already name it ("v1.2.3 (c93dc6b1e2f3)", "devel (c93dc6b1e2f3, modified)").
func version() string {
	v := buildVersion
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		if v == "" {
			v = "devel"
		}
		return v
	}
	if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	if v == "" {
		v = "devel"
	}
	vcs := vcsInfo(bi)
	if vcs.revision == "" {
		return v
	}
	short := vcs.revision
	if len(short) > 12 {
		short = short[:12]
	}
	var extra []string
	if !strings.Contains(v, short) {
		extra = append(extra, short)
	}
	if vcs.modified && !strings.HasSuffix(v, "+dirty") {
		extra = append(extra, "modified")
	}
	if len(extra) == 0 {
		return v
	}
	return v + " (" + strings.Join(extra, ", ") + ")"
}

// pgQueryVersion names the pg_query_go module and the PostgreSQL parser it embeds.
func pgQueryVersion() string {
	mod := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/pganalyze/pg_query_go/v5" {
				mod = d.Version
			}
		}
	}
	parser := "unknown"
	if res, err := pg.Parse("SELECT 1"); err == nil {
		v := res.GetVersion()
		parser = fmt.Sprintf("%d.%d", v/10000, v%10000)
	}
	return fmt.Sprintf("pg_query_go %s (PostgreSQL %s parser)", mod, parser)
}

func runVersion(args []string) int {
	const usage = "usage: migsafe version\n\nPrints the version, the revision and commit time it was built from, the Go toolchain\nand the PostgreSQL parser."
	if code, done := simpleHelp(args, "version", usage); done {
		return code
	}
	if len(args) > 0 {
		fmt.Fprintln(os.Stderr, usage)
		return 2
	}
	var b strings.Builder
	fmt.Fprintf(&b, "migsafe %s\n", version())
	if bi, ok := debug.ReadBuildInfo(); ok {
		if vcs := vcsInfo(bi); vcs.revision != "" {
			state := ""
			if vcs.modified {
				state = " with uncommitted changes"
			}
			fmt.Fprintf(&b, "revision %s (%s)%s\n", vcs.revision, vcs.time, state)
		}
	}
	fmt.Fprintf(&b, "%s %s/%s, cgo\n%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, pgQueryVersion())
	return writeOut("migsafe version", b.String())
}
