package locks

// Deploy says when a migration of a shape runs relative to the application deploy
// that goes with it, for the code deployed before and after to both work.
type Deploy int

const (
	// AnyOrder: application code cannot tell the difference (an index rebuild, a
	// statistics target, a comment).
	AnyOrder Deploy = iota
	// BeforeCode: an additive change the new code needs and the old code does not
	// notice (a new table, a nullable column, a dropped constraint, a new enum value).
	BeforeCode
	// AfterCode: a removal or a tightening the old code would break on (a dropped
	// column, NOT NULL or a constraint on what it writes, a backfill of what it does
	// not write yet): the code that no longer needs it, or that writes valid values,
	// deploys first.
	AfterCode
	// NoSafeOrder: the old code breaks after it and the new code before it (a rename,
	// a NOT NULL column without a default): only expand/contract ships it safely.
	NoSafeOrder
)

// String is the order's JSON name.
func (d Deploy) String() string {
	return [...]string{"any", "before-code", "after-code", "no-safe-order"}[d]
}

// Describe says the order in words, for reports and runbooks.
func (d Deploy) Describe() string {
	switch d {
	case BeforeCode:
		return "run the migration before deploying the application code that uses it"
	case AfterCode:
		return "deploy the application code first (the release that no longer uses what the migration removes, and already writes what it requires), then run the migration"
	case NoSafeOrder:
		return "no order is safe: the running code breaks after it and the new code before it; split it into expand/contract phases"
	}
	return "either order: the application cannot tell"
}

// Deploy is the shape's deploy order.
func (s *Shape) Deploy() Deploy { return deployOrder[s] }

// deployOrder is the one place the order of each shape is stated; shapes not listed
// are AnyOrder. A type change is listed as the usual widening (int to bigint, a longer
// varchar); a narrowing one, which the narrowing-type-change rule reports, runs after
// the code stops writing values that do not fit.
var deployOrder = map[*Shape]Deploy{
	CreateTable: BeforeCode, CreateTableFK: BeforeCode,
	CreateIndex: BeforeCode, CreateIndexConcurrently: BeforeCode,
	AddColumn: BeforeCode, AddColumnDefault: BeforeCode, AddColumnNotNullDefault: BeforeCode,
	AddColumnVolatileDefault: BeforeCode, AddColumnGenerated: BeforeCode,
	AlterColumnType: BeforeCode, AlterColumnTypeCoercible: BeforeCode, AlterColumnTypeCollation: BeforeCode,
	DropNotNull: BeforeCode, DropConstraint: BeforeCode, DropForeignKey: BeforeCode,
	AlterEnumAddValue: BeforeCode,

	DropTable: AfterCode, DropColumn: AfterCode, DropIndex: AfterCode, DropIndexConcurrently: AfterCode,
	SetNotNull: AfterCode, SetNotNullChecked: AfterCode,
	AddCheck: AfterCode, AddCheckNotValid: AfterCode, AddForeignKey: AfterCode, AddForeignKeyNotValid: AfterCode,
	AddUnique: AfterCode, AddUniqueUsingIndex: AfterCode, AddExclusion: AfterCode,
	Update: AfterCode,

	RenameTable: NoSafeOrder, RenameColumn: NoSafeOrder, AddColumnNotNull: NoSafeOrder,
}
