package codeactions

// Fix is a rewrite of one finding into safe SQL. The rule that found the problem
// builds it (as go/analysis's SuggestedFix): edits to the migration, edits to other
// files it already has (its down migration), and the phases that must follow it. The
// phases are laid out into files by the Planner, which names them the way the runner
// orders migrations and makes their names distinct from every other fix's.
type Fix struct {
	Title     string
	Kind      string // "quickfix" or "refactor.rewrite"
	Preferred bool
	// Edits change the migration the finding is in.
	Edits []Edit
	// Others change other files that exist: the down migration of a runner that keeps
	// it in a file of its own.
	Others []FileEdit
	// Files are new files that belong to this migration: Diesel's metadata.toml or a
	// Flyway .sql.conf that turns its transaction off.
	Files []NewFile
	// Phases run after this migration, in order.
	Phases []Phase
	// AfterOthers: compose it once the file's other fixes are in, since it is about
	// the file as they leave it (a lock_timeout for what still takes a lock there).
	AfterOthers bool
}

// Edit replaces Text[Start:End] with NewText.
type Edit struct {
	Start, End int
	NewText    string
}

// FileEdit is edits to a file other than the migration, with the text they were
// computed against: the planner refuses to apply them to anything else.
type FileEdit struct {
	Path  string
	Base  string
	Edits []Edit
}

// Phase is one migration a fix adds after the one it fixes.
type Phase struct {
	// Name says what the phase does; it ends the new migration's name
	// (0042_add_phone_set_not_null).
	Name string
	// Up is the phase's statements. Timeouts are added by the layout where the phase
	// runs in a transaction.
	Up string
	// Down reverses exactly this phase; "" when there is nothing to undo.
	Down string
	// NoTx: the phase must run outside a transaction block (CONCURRENTLY, a batch job
	// that commits per batch). It then holds a single statement, so that runners which
	// send a file as one query do not wrap it in an implicit transaction.
	NoTx bool
	// Brief: every statement only takes its lock for a moment (no scan, no rewrite, no
	// batch loop), so the phase gets a statement_timeout besides the lock_timeout.
	Brief bool
	// Verify is a query that fails unless the phase took effect (sqitch verify).
	Verify string
	// Wait, when set, makes this a contract phase: what must have shipped before it
	// may run ("application code that no longer reads users.name"). It is written to
	// .migsafe/pending/, where no runner reads it, until `migsafe fix --promote`.
	Wait string
}

// NewFile is a file the plan creates.
type NewFile struct {
	Path string
	Text string
}

// Preferred is the fix to apply without asking: the one marked preferred, else the
// first; nil when there is none.
func Preferred(fixes []Fix) *Fix {
	for i := range fixes {
		if fixes[i].Preferred {
			return &fixes[i]
		}
	}
	if len(fixes) > 0 {
		return &fixes[0]
	}
	return nil
}

// Splits reports whether the fix creates migrations, which `migsafe fix` applies only
// with --split.
func (f *Fix) Splits() bool { return len(f.Phases) > 0 }
