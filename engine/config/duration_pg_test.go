package config_test

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/migsafe/migsafe/engine/config"
	"github.com/migsafe/migsafe/internal/pgcluster/pgtest"
)

// PostgreSQL is the oracle for the timeouts config takes: the fixes write the
// configured text into SET lock_timeout as it is, so a value config takes must be one
// the server takes, with the milliseconds ParseDuration says (rounded half to even, as
// the server does), and a value config refuses as no duration must be one the server
// refuses, except numbers with a leading 0 or 0x, which the server reads as octal or
// hexadecimal and config refuses on purpose. (config also refuses 0 and values that
// round to 0 for lock_timeout: they switch the guard off.) 11 is the last major
// without fractions in time settings, 15 the one the machine has.
func TestDurationsAgainstPostgreSQL(t *testing.T) {
	values := []string{
		"5s", "500ms", "1min", "1d", "5 s", " 5s ", "500", "2h", "0", "1500us", "7ms",
		"1.5s", "0.5min", "1e3ms", "2.5",
		"5m", "1h30m", "5S", "5sec", "5ns", "-5s", "s", "NaN", "1_000ms", "5 ms s",
		"0x10s", "010", "010ms", "1500us", "0.5ms", "5us",
	}
	for _, major := range []int{11, 15} {
		t.Run(strconv.Itoa(major), func(t *testing.T) {
			_, conn := pgtest.Connect(t, major)
			ctx := context.Background()
			for _, v := range values {
				d, err := config.ParseDuration(v)
				_, cerr := config.Parse("migsafe.toml", []byte("pg_version = "+strconv.Itoa(major)+"\nstatement_timeout = \""+v+"\""), nil)
				want := cerr == nil
				_, serr := conn.Exec(ctx, "SET lock_timeout = '"+v+"'")
				trimmed := strings.TrimSpace(v)
				radix := len(trimmed) > 1 && trimmed[0] == '0' && (trimmed[1] == 'x' || trimmed[1] >= '0' && trimmed[1] <= '9')
				if got := serr == nil; got != want && !(radix && !want) && !(d != 0 && err == nil && rint(d) == 0) {
					t.Errorf("%q: ParseDuration %v, %v (taken: %v); PostgreSQL %d: %v", v, d, err, want, major, serr)
					continue
				}
				if serr != nil || !want {
					continue // nothing set, or a value config refuses
				}
				var ms int64
				if err := conn.QueryRow(ctx, "SELECT setting::bigint FROM pg_settings WHERE name = 'lock_timeout'").Scan(&ms); err != nil {
					t.Fatal(err)
				}
				if want := rint(d); ms != want {
					t.Errorf("%q: PostgreSQL %d sets %d ms, ParseDuration %d ms", v, major, ms, want)
				}
			}
		})
	}
}

// rint is d in whole milliseconds as PostgreSQL rounds: half to even.
func rint(d time.Duration) int64 {
	return int64(math.RoundToEven(float64(d) / float64(time.Millisecond)))
}
