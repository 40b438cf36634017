package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	pg "github.com/pganalyze/pg_query_go/v5"
)

func init() { register("version", "print the version", runVersion) }

// buildVersion is set at link time (-ldflags "-X main.buildVersion=v1.2.3"); otherwise
// the module version from the build info is used.
var buildVersion string

func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
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
	if len(args) > 0 {
		fmt.Fprintln(os.Stderr, "usage: migsafe version")
		return 2
	}
	fmt.Printf("migsafe %s\n%s %s/%s\n%s\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH, pgQueryVersion())
	return 0
}
