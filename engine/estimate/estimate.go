// Package estimate turns a table's row count into a duration range for the work a
// statement does under its lock. The throughputs are deliberately wide ranges: they
// depend on row width, indexes, disk and load, and the point is the order of
// magnitude ("seconds" or "half an hour"), not a promise.
package estimate

import (
	"fmt"
	"time"
)

// Work is a kind of per-row work a statement does. Which statement does which is a
// fact of the lock knowledge base (locks.Facts.Work); the throughputs are here.
type Work int

const (
	None           Work = iota // no per-row work
	Rewrite                    // copying the table into a new file (ALTER TYPE, volatile default, VACUUM FULL)
	IndexBuild                 // reading the table and sorting one index (or each index, for REINDEX TABLE)
	ValidationScan             // reading every row to validate a constraint
	Scan                       // reading every row without changing it (VACUUM)
	Backfill                   // updating or deleting every row in one statement (WAL, dead tuples, index updates)
	BulkCopy                   // INSERT ... SELECT: reading the source and inserting every row into the target
)

func (w Work) String() string {
	return [...]string{"no work", "rewrite", "index build", "validation scan", "scan", "backfill", "bulk copy"}[w]
}

// WritesWAL reports work that writes WAL for every row it goes over, which replicas
// must replay: rewrites, index builds, backfills and bulk copies. Scans write none.
func (w Work) WritesWAL() bool {
	return w == Rewrite || w == IndexBuild || w == Backfill || w == BulkCopy
}

// Throughput is rows per second, slow and fast end.
type Throughput struct{ Slow, Fast float64 }

// Defaults are rows per second for a table of a few narrow columns with one or two
// indexes. The fast end was measured with
//
//	migsafe trace --seed-rows 1000000 testdata/trace/calibrate/0002_work.up.sql
//
// on PostgreSQL 15.18 (Debian package, default settings, fsync on) on a shared 2-core
// AMD EPYC machine, two runs, with the table warm in shared buffers:
//
//	CREATE INDEX on a timestamptz column       3.9-4.5 M rows/s   -> IndexBuild 4M
//	validating a FOREIGN KEY (1M referenced)   1.83-1.88 M rows/s -> ValidationScan 1.8M
//	  (validating a simple CHECK: 17.5 M rows/s; ValidationScan prices the slower case)
//	ALTER COLUMN TYPE int -> bigint, 3 indexes 0.76-0.82 M rows/s -> Rewrite 800k
//	UPDATE of every row, one text column       0.10-0.17 M rows/s -> Backfill 100k
//	INSERT ... SELECT * into a copy, 3 indexes 0.40-0.45 M rows/s -> BulkCopy 400k
//
// Scan (VACUUM reading a table with nothing to clean) is priced as a validation scan:
// a sequential read is the part both share, and the estimate is an order of magnitude.
// The slow end divides by four to allow for wide rows, more indexes, a table larger
// than memory and a server busy with production traffic.
var Defaults = map[Work]Throughput{
	Rewrite:        {Slow: 200_000, Fast: 800_000},
	IndexBuild:     {Slow: 1_000_000, Fast: 4_000_000},
	ValidationScan: {Slow: 450_000, Fast: 1_800_000},
	Scan:           {Slow: 450_000, Fast: 1_800_000},
	Backfill:       {Slow: 25_000, Fast: 100_000},
	BulkCopy:       {Slow: 100_000, Fast: 400_000},
}

// Range is an estimated duration.
type Range struct{ Min, Max time.Duration }

// For estimates work over rows with the default throughputs; zero for None.
func For(w Work, rows int64) Range {
	t, ok := Defaults[w]
	if !ok {
		return Range{}
	}
	return Range{
		Min: time.Duration(float64(rows) / t.Fast * float64(time.Second)),
		Max: time.Duration(float64(rows) / t.Slow * float64(time.Second)),
	}
}

// String reads like "about 4-12 min", "about 50 s to 3 min" or "under a second".
func (r Range) String() string {
	if r.Max < time.Second {
		return "under a second"
	}
	lo, loUnit := humanize(r.Min)
	hi, hiUnit := humanize(r.Max)
	if loUnit == hiUnit {
		if lo == hi {
			return fmt.Sprintf("about %d %s", hi, hiUnit)
		}
		return fmt.Sprintf("about %d-%d %s", lo, hi, hiUnit)
	}
	return fmt.Sprintf("about %d %s to %d %s", lo, loUnit, hi, hiUnit)
}

// humanize rounds a duration to whole seconds below two minutes, whole minutes below
// two hours, and whole hours above.
func humanize(d time.Duration) (int, string) {
	s := d.Seconds()
	switch {
	case s < 120:
		if s < 1 {
			return 1, "s"
		}
		return int(s + 0.5), "s"
	case s < 2*3600:
		return int(s/60 + 0.5), "min"
	}
	return int(s/3600 + 0.5), "h"
}

// Rows formats a row count the way config accepts it: 50M, 1.2k.
func Rows(n int64) string {
	switch {
	case n >= 1_000_000_000:
		return trim(float64(n)/1e9) + "B"
	case n >= 1_000_000:
		return trim(float64(n)/1e6) + "M"
	case n >= 10_000:
		return trim(float64(n)/1e3) + "k"
	}
	return fmt.Sprint(n)
}

func trim(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s
}
