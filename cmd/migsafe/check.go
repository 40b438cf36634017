package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/report"
	"github.com/migsafe/migsafe/engine/rules"
	"github.com/migsafe/migsafe/trace"
)

func init() {
	register("check", "analyse migrations and print findings with a verdict per file", runCheck)
}

func runCheck(args []string) int {
	return check(args, os.Stdin, os.Stdout, os.Stderr)
}

// check is runCheck with its streams, for tests.
func check(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flagSet("check", args, stdout, stderr)
	format := fs.String("format", "text", "output `format`: text, json, sarif, markdown, github or gitlab")
	failOn := fs.String("fail-on", "block", "exit 1 when a finding is at or above this `status`: block, flag or never")
	configPath := fs.String("config", "", "use this config `file` for every path instead of the migsafe.toml found by walking up")
	stdinName := fs.String("stdin-filename", "", "read standard input as this `path` (for runner detection and config lookup)")
	verifyRollback := fs.Bool("verify-rollback", false, "apply up, down and up again on a throwaway PostgreSQL, run the runbook's verification queries, and report a down that does not restore the schema")
	base := fs.String("base", "", "the git `revision` of the release still running during the deploy: migrations absent from its tree are pending (by default, those absent from the merge-base of HEAD with its upstream, main or master), and its code is checked for uses of what the migrations drop or rename")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: migsafe check [--format text|json|sarif|markdown|github|gitlab] [--fail-on block|flag|never] [--config FILE] [--stdin-filename NAME] [--verify-rollback] [--base REF] PATH...")
		fs.PrintDefaults()
	}
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return parseExit(fs, err)
	}
	threshold, ok := map[string]rules.Status{"block": rules.Block, "flag": rules.Flag, "never": rules.Block + 1}[strings.ToLower(*failOn)]
	if !ok {
		fmt.Fprintf(stderr, "migsafe check: --fail-on %q: want block, flag or never\n", *failOn)
		return 2
	}
	write, ok := writers[strings.ToLower(*format)]
	if !ok {
		fmt.Fprintf(stderr, "migsafe check: --format %q: want text, json, sarif, markdown, github or gitlab\n", *format)
		return 2
	}
	ins, cfgs, ok := prepare("check", paths, *stdinName, *configPath, stderr)
	if !ok {
		return 2
	}
	if cfgs.code, ok = codeWorkspaces("check", *base, ins, stderr); !ok {
		return 2
	}
	defer tuneGC(ins)()
	// A file's JSON is often larger than bufio's default 4 KB, which then wrote each
	// file with a system call of its own.
	out := bufio.NewWriterSize(stdout, 64<<10)
	var stream *report.Stream
	switch strings.ToLower(*format) {
	case "json":
		stream = report.NewJSONStream(out)
	case "text":
		stream = report.NewTextStream(out, report.TextOptions{Color: colorWanted(stdout)})
	default:
		stream = report.NewStream(func(r *report.Report) error { return write(out, r, stdout) })
	}
	ctx := context.Background()
	var in *interruption
	if *verifyRollback {
		// Round trips start throwaway clusters: a signal must stop and remove them.
		ctx, in = interruptible()
		defer in.stop()
	}
	code, checked := 0, 0
	var writeErr error
	printed := map[string]bool{} // a bad config is reported once, not once per file
	attach, titlesOnly := buildFixTitles, true
	if strings.EqualFold(*format, "markdown") {
		// Its BLOCK findings show their preferred fix's change, and its runbooks read
		// the trees.
		attach, titlesOnly = buildFixes, false
	}
	if *verifyRollback {
		titlesOnly = false // the round trip is not promised to read no tree
	}
	analyzeEach(ins, cfgs, stdin, *base, attach, titlesOnly, func(a analyzed) {
		if a.err != nil {
			if msg := a.err.Error(); !printed[msg] {
				printed[msg] = true
				fmt.Fprintln(stderr, msg)
			}
			code = 2
			stream.Unchecked() // the summary must not call the run SAFE TO SHIP
			return
		}
		if *verifyRollback && a.res.File.Down.Found {
			if err := verifyRoundtrip(ctx, a.res); err != nil {
				fmt.Fprintf(stderr, "migsafe check: --verify-rollback: %v\n", err)
				code = 2
				stream.Unverified() // its static verdict is not the verification asked for
			}
		}
		checked++
		if code == 0 && a.res.Worst() >= threshold {
			code = 1
		}
		if err := stream.Add(a.res); err != nil && writeErr == nil {
			writeErr = err
		}
	})
	if in != nil && in.signal() != nil {
		fmt.Fprintf(stderr, "migsafe check: interrupted by %v; the throwaway PostgreSQL clusters were stopped and removed\n", in.signal())
		return in.exitCode()
	}
	if checked == 0 && code == 2 {
		// Nothing could be checked: a summary saying "SAFE TO SHIP" would be a lie.
		return code
	}
	if writeErr == nil {
		writeErr = stream.Close()
	}
	if writeErr == nil {
		writeErr = out.Flush()
	}
	if writeErr != nil {
		fmt.Fprintf(stderr, "migsafe check: writing output: %v\n", writeErr)
		return 2
	}
	return code
}

// writers print a report; term is the real stdout, consulted for colour.
var writers = map[string]func(w io.Writer, r *report.Report, term io.Writer) error{
	"text": func(w io.Writer, r *report.Report, term io.Writer) error {
		return report.WriteText(w, r, report.TextOptions{Color: colorWanted(term)})
	},
	"json": func(w io.Writer, r *report.Report, _ io.Writer) error { return report.WriteJSON(w, r) },
	"sarif": func(w io.Writer, r *report.Report, _ io.Writer) error {
		return report.WriteSARIF(w, r, report.SARIFOptions{Version: version()})
	},
	// markdown is a pull-request comment: capped at what GitHub accepts
	// (MIGSAFE_MARKDOWN_LIMIT bytes instead; 0 for none), with links into the
	// repository when run in CI (report.LinksFromEnv) and MIGSAFE_COMMENT_MARKER as its
	// hidden first line.
	"markdown": func(w io.Writer, r *report.Report, _ io.Writer) error {
		limit := report.CommentLimit
		if v := os.Getenv("MIGSAFE_MARKDOWN_LIMIT"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("MIGSAFE_MARKDOWN_LIMIT=%q: want a number of bytes (0: no limit)", v)
			}
			limit = n
		}
		return report.WriteMarkdown(w, r, report.MarkdownOptions{Limit: limit, Links: report.LinksFromEnv(os.Getenv), Marker: os.Getenv("MIGSAFE_COMMENT_MARKER")})
	},
	"github": func(w io.Writer, r *report.Report, _ io.Writer) error { return report.WriteGitHub(w, r) },
	"gitlab": func(w io.Writer, r *report.Report, _ io.Writer) error { return report.WriteGitLab(w, r) },
}

// colorWanted is true when w is a terminal and NO_COLOR is not set (no-color.org).
func colorWanted(w io.Writer) bool {
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// parseInterspersed parses flags that may come before, between or after the paths
// (`migsafe check migrations --format json`), as people type them.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		if args[0] == "--" {
			return append(rest, args[1:]...), nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// verifyRoundtrip applies the migration's up, down and up again on a throwaway
// PostgreSQL and records a down that does not restore the schema as a problem of the
// result. An error means the check could not run (no PostgreSQL installed).
func verifyRoundtrip(ctx context.Context, res *engine.Result) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	rep, err := trace.Roundtrip(ctx, res.File.Path, trace.Options{Config: res.Config, Verify: true})
	if errors.Is(err, trace.ErrNoDown) {
		return nil // missing-down-migration and empty-down-migration say so
	}
	if err != nil {
		return err
	}
	if rep.OK() {
		return nil
	}
	msg := "the down migration does not restore the schema: " + strings.Join(rep.Differences, "; ")
	switch {
	case rep.Failed != "":
		msg = "the rollback round trip failed at " + rep.Failed
		if len(rep.Differences) > 0 {
			msg += "; " + strings.Join(rep.Differences, "; ")
		}
	case len(rep.Differences) == 0:
		msg = "a verification query of the runbook fails: " + strings.Join(trace.FailedChecks(rep.Checks), "; ")
	}
	res.AddProblem(engine.Problem{Offset: firstStatement(res), Kind: "rollback", Message: msg})
	return nil
}

func firstStatement(res *engine.Result) int {
	if len(res.File.Statements) > 0 {
		return res.File.Statements[0].Start
	}
	return 0
}
