package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/migsafe/migsafe/engine/runbook"
)

func init() {
	register("runbook", "write the deployment runbook of migrations: impact, checklist, backups, steps, verification, monitoring, rollback", runRunbook)
}

func runRunbook(args []string) int {
	return writeRunbooks(args, os.Stdin, os.Stdout, os.Stderr)
}

// writeRunbooks is runRunbook with its streams, for tests.
func writeRunbooks(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flagSet("runbook", args, stdout, stderr)
	format := fs.String("format", "markdown", "output `format`: markdown or json")
	base := fs.String("base", "", "the git `revision` of the release still running during the deploy: migrations absent from its tree are pending, and its code is checked too")
	configPath := fs.String("config", "", "use this config `file` for every path")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: migsafe runbook [--format markdown|json] [--base REF] [--config FILE] PATH...")
		fs.PrintDefaults()
	}
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return parseExit(fs, err)
	}
	*format = strings.ToLower(*format) // as check's --format ("JSON" was refused)
	if *format != "markdown" && *format != "json" {
		fmt.Fprintf(stderr, "migsafe runbook: --format %q: want markdown or json\n", *format)
		return 2
	}
	if len(paths) == 0 {
		fs.Usage()
		return 2
	}
	ins, cfgs, ok := prepare("runbook", paths, "", *configPath, stderr)
	if !ok {
		return 2
	}
	if cfgs.code, ok = codeWorkspaces("runbook", *base, ins, stderr); !ok {
		return 2
	}
	code := 0
	var rbs []*runbook.Runbook
	for _, a := range analyzeAll(ins, cfgs, stdin, *base) {
		if a.err != nil {
			fmt.Fprintln(stderr, a.err)
			code = 2
			continue
		}
		rbs = append(rbs, runbook.Build(a.res, runbook.Options{Code: cfgs.code.forFile(a.res.File.Path, a.res.Config)}))
	}
	out := bufio.NewWriter(stdout)
	if *format == "json" {
		err = runbook.WriteJSON(out, rbs)
	} else {
		for _, rb := range rbs {
			if _, err = io.WriteString(out, rb.Markdown(1)); err != nil {
				break
			}
		}
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		fmt.Fprintf(stderr, "migsafe runbook: writing output: %v\n", err)
		return 2
	}
	return code
}
