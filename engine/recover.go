package engine

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
)

// InternalError is the ProblemKinds key of a check that panicked: a rule, or a fix
// built for one of its findings. The analysis goes on without it, and the problem
// keeps the verdict off SAFE TO SHIP, since the findings it would have reported are
// missing.
const InternalError = "internal"

// PanicProblem turns a value recovered from a panic into a Problem at offset (the
// statement being checked) naming what failed and where. Call it from the deferred
// function that recovered, while the panicking frames are still on the stack; rules
// run so in Analyze, and fix builders do the same:
//
//	defer func() {
//		if v := recover(); v != nil {
//			problem = engine.PanicProblem(v, "the fix for "+id, offset)
//		}
//	}()
func PanicProblem(v any, what string, offset int) Problem {
	msg := fmt.Sprintf("Verify: %s failed with an internal error (%v", what, v)
	if site := panicSite(); site != "" {
		msg += " at " + site
	}
	msg += "), so what it would report here is missing: review this statement by hand, and report the bug to migsafe"
	return Problem{Offset: offset, Kind: InternalError, Message: msg}
}

// panicSite is the file and line of the code that panicked: the first frame below
// runtime.gopanic outside the runtime, as "rules/unbatched_backfill.go:42".
func panicSite() string {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	inPanic := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			inPanic = true
		case inPanic && !strings.HasPrefix(f.Function, "runtime."):
			return filepath.Join(filepath.Base(filepath.Dir(f.File)), filepath.Base(f.File)) + fmt.Sprintf(":%d", f.Line)
		}
		if !more {
			return ""
		}
	}
}
