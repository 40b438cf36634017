package trace

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/migsafe/migsafe/engine"
	"github.com/migsafe/migsafe/engine/runbook"
)

// Check is the outcome of one verification query of the migration's runbook.
type Check struct {
	Phase  runbook.When `json:"phase"`
	Name   string       `json:"name"`
	OK     bool         `json:"ok"`
	Detail string       `json:"detail,omitempty"`
	// Error is set when the query itself failed (a table the migration should have
	// left is missing, a backup could not be taken).
	Error string `json:"error,omitempty"`
}

// verifier runs the runbook's backups and verification queries on the trace's
// cluster: the backups and the "before" captures first, then the checks of a phase
// whenever the migration reaches it. A nil verifier does nothing, so the trace and
// the round trip call it unconditionally.
type verifier struct {
	rb       *runbook.Runbook
	conn     *pgx.Conn
	captured map[string]string
	results  []Check
	// inTx: the checks run inside the trace transaction, each under a savepoint so a
	// failing query does not abort the rest.
	inTx bool
}

func newVerifier(res *engine.Result, conn *pgx.Conn, on bool) *verifier {
	if !on {
		return nil
	}
	return &verifier{rb: runbook.Build(res, runbook.Options{}), conn: conn, captured: map[string]string{}}
}

// before takes the backups that run as SQL and runs the "before" queries.
func (v *verifier) before(ctx context.Context) error {
	if v == nil {
		return nil
	}
	for _, b := range v.rb.Backups {
		if b.Method != "table" {
			continue // a pg_dump or \copy to a file: a shell step, not run here
		}
		if _, err := v.conn.Exec(ctx, b.Take); err != nil {
			v.results = append(v.results, Check{Phase: runbook.BeforeUp, Name: "backup " + b.Target, Error: err.Error()})
		}
	}
	for _, q := range v.rb.Verification.Before {
		if q.Capture == "" {
			v.check(ctx, q)
			continue
		}
		var n int64
		if err := v.conn.QueryRow(ctx, q.SQL).Scan(&n); err != nil {
			return fmt.Errorf("verification %q: %w", q.Name, err)
		}
		v.captured[q.Capture] = fmt.Sprint(n)
		v.results = append(v.results, Check{Phase: runbook.BeforeUp, Name: q.Name, OK: true, Detail: fmt.Sprint(n)})
	}
	return nil
}

// run runs the checks of one phase.
func (v *verifier) run(ctx context.Context, phase runbook.When) {
	if v == nil {
		return
	}
	qs := v.rb.Verification.AfterUp
	if phase == runbook.AfterDown {
		qs = v.rb.Verification.AfterDown
	}
	for _, q := range qs {
		v.check(ctx, q)
	}
}

var psqlVar = regexp.MustCompile(`(^|[^:]):([a-z_][a-z0-9_]*)\b`)

func (v *verifier) check(ctx context.Context, q runbook.Query) {
	sql := psqlVar.ReplaceAllStringFunc(q.SQL, func(m string) string {
		sub := psqlVar.FindStringSubmatch(m)
		if val, ok := v.captured[sub[2]]; ok {
			return sub[1] + val
		}
		return m
	})
	c := Check{Phase: q.When, Name: q.Name}
	var ok *bool
	var detail *string
	if v.inTx {
		v.conn.Exec(ctx, "SAVEPOINT migsafe_verify")
	}
	if err := v.conn.QueryRow(ctx, sql).Scan(&ok, &detail); err != nil {
		c.Error = err.Error()
		if v.inTx {
			v.conn.Exec(ctx, "ROLLBACK TO SAVEPOINT migsafe_verify")
		}
	} else {
		c.OK = ok != nil && *ok
		if detail != nil {
			c.Detail = *detail
		}
	}
	v.results = append(v.results, c)
}

// checks is what the verifier found; nil when it did not run.
func (v *verifier) checks() []Check {
	if v == nil {
		return nil
	}
	return v.results
}

// ChecksOK reports whether every check passed.
func ChecksOK(cs []Check) bool {
	for _, c := range cs {
		if !c.OK {
			return false
		}
	}
	return true
}

// FailedChecks describes the checks that did not pass, one line each.
func FailedChecks(cs []Check) []string {
	var out []string
	for _, c := range cs {
		if c.OK {
			continue
		}
		why := c.Detail
		if c.Error != "" {
			why = "error: " + c.Error
		}
		out = append(out, fmt.Sprintf("%s: %s: %s", c.Phase, c.Name, why))
	}
	return out
}

func writeChecks(w io.Writer, cs []Check) {
	if len(cs) == 0 {
		return
	}
	fmt.Fprintln(w, "  verification (the runbook's queries):")
	for _, c := range cs {
		status := "ok  "
		if !c.OK {
			status = "FAIL"
		}
		detail := c.Detail
		if c.Error != "" {
			detail = "error: " + c.Error
		}
		fmt.Fprintf(w, "    %s %-10s %s", status, c.Phase, c.Name)
		if detail != "" {
			fmt.Fprintf(w, " — %s", strings.TrimSpace(detail))
		}
		fmt.Fprintln(w)
	}
}
