package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"github.com/migsafe/migsafe/internal/tablestats"
	"github.com/migsafe/migsafe/trace"
)

func init() { register("stats", "write table sizes from a database to the stats file", runStats) }

func runStats(args []string) int {
	fs := flagSet("stats", args, os.Stdout, os.Stderr)
	// Not MIGSAFE_DSN as the flag's default: --help prints defaults, password included.
	dsn := fs.String("dsn", "", "database to read table sizes from (default $MIGSAFE_DSN); only read")
	out := fs.String("out", ".migsafe/stats.json", "stats file to write (the stats_file migsafe.toml points at)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: migsafe stats --dsn DSN [--out FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseExit(fs, err)
	}
	if !given(fs, "dsn") {
		*dsn = os.Getenv("MIGSAFE_DSN")
	}
	if *dsn == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	shown, err := trace.RedactDSN(*dsn)
	if err != nil {
		fmt.Fprintf(os.Stderr, "migsafe stats: --dsn: %v\n", err)
		return 2
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, *dsn)
	if err != nil {
		fmt.Fprintf(os.Stderr, "migsafe stats: connecting to %s: %s\n", shown, trace.RedactError(*dsn, err))
		return 2
	}
	defer conn.Close(ctx)
	st, notes, err := tablestats.Collect(ctx, conn)
	if err != nil {
		fmt.Fprintf(os.Stderr, "migsafe stats: %s: %v\n", shown, err)
		return 2
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		fmt.Fprintln(os.Stderr, "migsafe stats:", err)
		return 2
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "migsafe stats:", err)
		return 2
	}
	if err := writeAtomic(*out, append(data, '\n')); err != nil {
		fmt.Fprintln(os.Stderr, "migsafe stats:", err)
		return 2
	}
	for _, n := range notes {
		fmt.Fprintln(os.Stderr, "migsafe stats: note:", n)
	}
	fmt.Fprintf(os.Stderr, "migsafe stats: wrote %d tables to %s\n", len(st.Tables), *out)
	return 0
}

// writeAtomic replaces path with data all at once: a temporary file beside it, synced
// and renamed over it, so a failed or interrupted write leaves the previous stats file
// whole rather than a truncated one that every later check would refuse.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
