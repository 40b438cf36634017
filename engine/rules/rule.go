// Package rules holds migsafe's checks. A rule is a value, as in go/analysis: a stable
// ID, its category, the status it reports, documentation, and a Check function that
// sees one statement with its context and reports through the Pass.
package rules

import "github.com/migsafe/migsafe/engine/status"

// Status is the verdict on one finding or category (see package status).
type Status = status.Status

const (
	OK    = status.Pass // reported as PASS
	Flag  = status.Flag
	Block = status.Block
)

// Category is one of the nine review categories.
type Category string

const (
	LockContention         Category = "lock-contention"
	ConcurrentWriteHazards Category = "concurrent-write-hazards"
	MissingRollback        Category = "missing-rollback"
	DataLoss               Category = "data-loss"
	BackwardCompatibility  Category = "backward-compatibility"
	ReplicationLag         Category = "replication-lag"
	ConstraintValidation   Category = "constraint-validation"
	IndexDependencies      Category = "index-dependencies"
	ForeignKeys            Category = "foreign-keys"
)

// Categories lists the categories in report order.
var Categories = []Category{LockContention, ConcurrentWriteHazards, MissingRollback, DataLoss,
	BackwardCompatibility, ReplicationLag, ConstraintValidation, IndexDependencies, ForeignKeys}

// Severity says what goes wrong if the finding ships.
type Severity string

const (
	Downtime    Severity = "downtime"
	DataLossSev Severity = "data-loss"
	Performance Severity = "performance"
	Safety      Severity = "safety"
)

// Rule is one check.
type Rule struct {
	ID       string // stable kebab-case
	Category Category
	Status   Status // what it reports unless a Diagnostic says otherwise
	Severity Severity
	// Summary is one line: what the rule finds.
	Summary string
	// Doc is markdown: why it matters, the lock, the safe pattern, an example. Its first
	// paragraph argues the rule's status.
	Doc string
	// OptIn rules run only when enabled in config ([rules] enable).
	OptIn bool
	// Check runs once per statement of the up section that parsed.
	Check func(*Pass)
	// CheckFile, when set, runs once per file after the statements.
	CheckFile func(*Pass)
}
