package trace

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteText prints the report for a person.
func (r *Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "%s on %s", r.Path, r.Target)
	if r.SeedRows > 0 {
		fmt.Fprintf(w, ", %d seed rows per table", r.SeedRows)
	}
	fmt.Fprintln(w)
	for _, p := range r.Applied {
		fmt.Fprintf(w, "  applied first: %s\n", p)
	}
	for _, s := range r.Statements {
		fmt.Fprintf(w, "\n%s:%d: %s\n", r.Path, s.Line, oneLine(s.Text))
		switch {
		case s.Skipped != "":
			fmt.Fprintf(w, "  %s\n", s.Skipped)
			continue
		case s.Error != "":
			fmt.Fprintf(w, "  failed after %s: %s\n", round(s.Duration), s.Error)
			continue
		}
		where := "in the trace transaction"
		if s.Outside {
			where = "outside a transaction; locks sampled from another session"
		}
		fmt.Fprintf(w, "  ran %s (%s)\n", round(s.Duration), where)
		if len(s.Locks) == 0 {
			fmt.Fprintln(w, "  locks: none on user relations")
		}
		for _, l := range s.Locks {
			fmt.Fprintf(w, "  lock %-22s on %s, held %s\n", l.Mode, l.Relation, round(l.Held))
		}
		if len(s.Rewrote) > 0 {
			fmt.Fprintf(w, "  rewrote %s\n", strings.Join(s.Rewrote, ", "))
		}
		if len(s.Scanned) > 0 {
			fmt.Fprintf(w, "  read every row of %s\n", strings.Join(s.Scanned, ", "))
		}
		for _, d := range s.Disagreements {
			fmt.Fprintf(w, "  DISAGREES: %s\n", d)
		}
	}
	if len(r.Checks) > 0 {
		fmt.Fprintln(w)
		writeChecks(w, r.Checks)
	}
	if failed := r.Failed(); len(failed) > 0 {
		what := "statement failed"
		if len(failed) > 1 {
			what = "statements failed"
		}
		fmt.Fprintf(w, "\n%s: %d %s: the migration would stop at line %d\n", r.Path, len(failed), what, failed[0].Line)
	}
}

// WriteText prints the round-trip result for a person.
func (r *RoundtripReport) WriteText(w io.Writer) {
	fmt.Fprintf(w, "%s: up, down (%s), up again on %s\n", r.Path, r.Down, r.Target)
	if r.Failed != "" {
		fmt.Fprintf(w, "  FAILED %s\n", r.Failed)
	}
	for _, d := range r.Differences {
		fmt.Fprintf(w, "  DIFFERS %s\n", d)
	}
	writeChecks(w, r.Checks)
	switch {
	case r.OK() && len(r.Checks) > 0:
		fmt.Fprintln(w, "  down restores the schema, up applies again, and every verification query passes")
	case r.OK():
		fmt.Fprintln(w, "  down restores the schema, and up applies again")
	}
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 100 {
		s = s[:97] + "..."
	}
	return s
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
