package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/migsafe/migsafe/trace"
)

func init() {
	register("trace", "run a migration on a throwaway PostgreSQL and report the locks it took", runTrace)
}

func runTrace(args []string) int {
	fs := flagSet("trace", args, os.Stdout, os.Stderr)
	// The flag's default is not MIGSAFE_DSN itself: the flag package prints a default
	// in --help, and that would show the password (read below, after parsing).
	dsn := fs.String("dsn", "", "trace against this `DSN` instead of a throwaway cluster (default $MIGSAFE_DSN); nothing is committed")
	allowRemote := fs.Bool("allow-remote", false, "allow a --dsn that is not a local socket or loopback address")
	major := fs.Int("pg", 0, "PostgreSQL major of the throwaway cluster (default: pg_version from migsafe.toml, else 15)")
	seedRows := fs.Int("seed-rows", 0, "insert this many generated rows into each table the migration touches first")
	format := fs.String("format", "text", "output format: text or json")
	roundtrip := fs.Bool("roundtrip", false, "apply up, down and up again on a throwaway cluster and report schema differences")
	verify := fs.Bool("verify", false, "run the runbook's verification queries after up (and after down with --roundtrip) on a throwaway cluster; a failing one exits 1")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: migsafe trace [--dsn DSN] [--allow-remote] [--pg N] [--seed-rows N] [--roundtrip] [--verify] [--format text|json] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseExit(fs, err)
	}
	if !given(fs, "dsn") {
		*dsn = os.Getenv("MIGSAFE_DSN")
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	// Usage errors are said before any cluster starts, and each names what is wrong:
	// a bad --format printed the usage alone, a negative --seed-rows was taken, and a
	// missing file was found only after the earlier files' clusters had run (and
	// named twice: "x.sql: x.sql: open: ...").
	*format = strings.ToLower(*format) // as check's --format
	if *format != "text" && *format != "json" {
		fmt.Fprintf(os.Stderr, "migsafe trace: --format %q: want text or json\n", *format)
		return 2
	}
	if *seedRows < 0 {
		fmt.Fprintf(os.Stderr, "migsafe trace: --seed-rows %d: must not be negative\n", *seedRows)
		return 2
	}
	for _, path := range fs.Args() {
		st, err := os.Stat(path)
		if err == nil && st.IsDir() {
			err = errors.New("is a directory: trace takes migration files")
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "migsafe trace:", pathError(path, err))
			return 2
		}
	}
	ctx, in := interruptible()
	defer in.stop()
	// Every path out of the loop below returns through here: after a signal, the
	// clusters the traces started have been stopped and removed by then.
	interrupted := func() (int, bool) {
		if s := in.signal(); s != nil {
			fmt.Fprintf(os.Stderr, "migsafe trace: interrupted by %v; its throwaway PostgreSQL was stopped and removed\n", s)
			return in.exitCode(), true
		}
		return 0, false
	}
	if *verify && *dsn != "" {
		fmt.Fprintln(os.Stderr, "migsafe trace: --verify takes the runbook's backups and runs its queries, so it runs only on a throwaway cluster (drop --dsn)")
		return 2
	}
	opts := trace.Options{DSN: *dsn, AllowRemote: *allowRemote, Major: *major, SeedRows: *seedRows, Verify: *verify}
	var reports []any
	code := 0
	for _, path := range fs.Args() {
		if *roundtrip {
			r, err := trace.Roundtrip(ctx, path, opts)
			if c, ok := interrupted(); ok {
				return c
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "migsafe trace: %s: %v\n", path, err)
				if errors.Is(err, trace.ErrNoDown) {
					code = max(code, 1)
					continue
				}
				return 2
			}
			if !r.OK() {
				code = max(code, 1)
			}
			if *format == "json" {
				reports = append(reports, r)
			} else {
				r.WriteText(os.Stdout)
			}
			continue
		}
		r, err := trace.Run(ctx, path, opts)
		if c, ok := interrupted(); ok {
			return c
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "migsafe trace: %s: %v\n", path, err)
			return 2
		}
		if !trace.ChecksOK(r.Checks) {
			code = max(code, 1)
		}
		if len(r.Failed()) > 0 {
			code = max(code, 1) // the migration would fail
		}
		if *format == "json" {
			reports = append(reports, r)
		} else {
			r.WriteText(os.Stdout)
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"version": 1, "traces": reports}); err != nil {
			fmt.Fprintln(os.Stderr, "migsafe trace:", err)
			return 2
		}
	}
	return code
}
