package locks

import (
	"testing"

	"github.com/migsafe/migsafe/engine/estimate"
)

// The work kind is the fact durations are estimated from, so it must agree with the
// facts the oracle measures: a statement does per-row work exactly when it scans or
// rewrites, and a rewrite is priced as a rewrite or, for REINDEX, an index build.
func TestWorkAgreesWithScanAndRewrite(t *testing.T) {
	for _, s := range Shapes {
		for _, v := range Versions {
			f := s.Facts(v)
			if (f.Work != estimate.None) != (f.Scan || f.Rewrite) {
				t.Errorf("%s on %d: work %s, scan %v, rewrite %v", s.ID, v, f.Work, f.Scan, f.Rewrite)
			}
			if f.Rewrite && f.Work != estimate.Rewrite && f.Work != estimate.IndexBuild {
				t.Errorf("%s on %d: rewrites, but its work is %s", s.ID, v, f.Work)
			}
			if f.WorkOnOther && f.OtherRole == "" {
				t.Errorf("%s on %d: work on the other relation, but there is none", s.ID, v)
			}
		}
	}
}
