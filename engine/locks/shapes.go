package locks

import "github.com/migsafe/migsafe/engine/estimate"

// Facts is what PostgreSQL does for one statement shape on one server version.
type Facts struct {
	// Table is the lock on the statement's own table (for DROP INDEX and REINDEX INDEX,
	// the table the index belongs to).
	Table Mode
	// Other is the lock on the second relation the shape touches (OtherRole says which);
	// None when there is none.
	Other     Mode
	OtherRole string
	// Indexes is the lock on each existing index of the table (other than the one
	// named as Other). It matters where it blocks more than the table lock: REINDEX
	// TABLE holds SHARE on the table but ACCESS EXCLUSIVE on its indexes, and every
	// query on the table opens its indexes while planning, so reads wait too.
	Indexes Mode
	// Rewrite: the table (or index) gets a new relfilenode and is copied in full.
	Rewrite bool
	// Scan: every row is read while the lock is held (validation or index build).
	Scan bool
	// Work is the per-row work the statement does while it holds its locks, which
	// durations are estimated from: over the rows of the statement's table, or of
	// Other when WorkOnOther (the partition ATTACH PARTITION scans, the source of
	// INSERT ... SELECT). None exactly when the statement neither scans nor rewrites.
	Work        estimate.Work
	WorkOnOther bool
	// NoTransaction: PostgreSQL refuses to run the statement inside a transaction block.
	NoTransaction bool
	// Unsupported: the statement does not exist on this version.
	Unsupported bool
	// Note is a version note for hover and explain.
	Note string
}

// Shape is one form of statement migsafe knows the lock behaviour of.
type Shape struct {
	ID    string
	Title string
	// facts[i] applies from version facts[i].from until the next entry.
	facts []versioned
	// Example is a statement of this shape over the oracle's fixture schema (see
	// Fixture), which the oracle test runs on every server version.
	Example string
	// ExampleNeeds is setup run before Example on top of Fixture, for shapes that need an
	// object to act on (a CHECK constraint to validate, a materialized view).
	ExampleNeeds string
}

type versioned struct {
	from int
	Facts
}

// Facts returns the shape's facts on PostgreSQL major version v.
func (s *Shape) Facts(v int) Facts {
	f := s.facts[0].Facts
	for _, vf := range s.facts[1:] {
		if v >= vf.from {
			f = vf.Facts
		}
	}
	return f
}

// Versions lists the majors migsafe knows facts for.
var Versions = []int{10, 11, 12, 13, 14, 15, 16, 17, 18}

// Fixture is the schema the oracle test builds before running each Example: a parent
// table, a child with a foreign key to it, a table t with an index and rows, and a
// partitioned table. The oracle also creates a tablespace named spare.
const Fixture = `
CREATE TABLE parent (id bigint PRIMARY KEY, name text);
INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 1000) g;
CREATE TABLE t (id bigint PRIMARY KEY, parent_id bigint, a int, b text, c varchar(20), d int NOT NULL DEFAULT 0);
INSERT INTO t SELECT g, (g % 1000) + 1, g, 'row ' || g, 'v' || g, g FROM generate_series(1, 20000) g;
CREATE INDEX t_a_idx ON t (a);
CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id));
INSERT INTO child SELECT g, (g % 1000) + 1 FROM generate_series(1, 1000) g;
CREATE TABLE events (id bigint, created date NOT NULL) PARTITION BY RANGE (created);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 (id bigint, created date NOT NULL);
ANALYZE;
`

func shape(id, title, example string, base Facts, later ...versioned) *Shape {
	return &Shape{ID: id, Title: title, Example: example, facts: append([]versioned{{0, base}}, later...)}
}

func from(v int, f Facts) versioned { return versioned{v, f} }

const (
	refTable  = "referenced table"
	indexRole = "index"
	partRole  = "partition"
	// SourceRole is the role of a table INSERT ... SELECT reads.
	SourceRole = "source table"
)

// The shapes. Facts follow src/backend/commands/tablecmds.c (AlterTableGetLockLevel)
// and the documentation's lock tables; each is checked by the oracle test.
var (
	CreateTable = shape("create-table", "CREATE TABLE",
		"CREATE TABLE n (id bigint PRIMARY KEY)",
		Facts{Table: AccessExclusive})
	CreateTableFK = shape("create-table-fk", "CREATE TABLE with a foreign key",
		"CREATE TABLE n (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id))",
		Facts{Table: AccessExclusive, Other: ShareRowExclusive, OtherRole: refTable})
	CreateIndex = shape("create-index", "CREATE INDEX",
		"CREATE INDEX t_b_idx ON t (b)",
		Facts{Table: Share, Scan: true, Work: estimate.IndexBuild})
	CreateIndexConcurrently = shape("create-index-concurrently", "CREATE INDEX CONCURRENTLY",
		"CREATE INDEX CONCURRENTLY t_b_idx ON t (b)",
		Facts{Table: ShareUpdateExclusive, Scan: true, NoTransaction: true, Work: estimate.IndexBuild})
	DropIndex = shape("drop-index", "DROP INDEX",
		"DROP INDEX t_a_idx",
		Facts{Table: AccessExclusive, Other: AccessExclusive, OtherRole: indexRole})
	DropIndexConcurrently = shape("drop-index-concurrently", "DROP INDEX CONCURRENTLY",
		"DROP INDEX CONCURRENTLY t_a_idx",
		Facts{Table: ShareUpdateExclusive, Other: ShareUpdateExclusive, OtherRole: indexRole, NoTransaction: true})
	ReindexIndex = shape("reindex-index", "REINDEX INDEX",
		"REINDEX INDEX t_a_idx",
		Facts{Table: Share, Other: AccessExclusive, OtherRole: indexRole, Rewrite: true, Scan: true, Work: estimate.IndexBuild})
	ReindexTable = shape("reindex-table", "REINDEX TABLE",
		"REINDEX TABLE t",
		Facts{Indexes: AccessExclusive, Table: Share, Rewrite: true, Scan: true, Work: estimate.IndexBuild})
	ReindexConcurrently = shape("reindex-concurrently", "REINDEX CONCURRENTLY",
		"REINDEX INDEX CONCURRENTLY t_a_idx",
		Facts{Unsupported: true, Note: "REINDEX CONCURRENTLY needs PostgreSQL 12"},
		from(12, Facts{Table: ShareUpdateExclusive, Other: ShareUpdateExclusive, OtherRole: indexRole, Scan: true, NoTransaction: true, Work: estimate.IndexBuild}))
	DropTable = shape("drop-table", "DROP TABLE",
		"DROP TABLE child",
		Facts{Indexes: AccessExclusive, Table: AccessExclusive, Other: AccessExclusive, OtherRole: refTable})
	Truncate = shape("truncate", "TRUNCATE",
		"TRUNCATE child",
		Facts{Indexes: AccessExclusive, Table: AccessExclusive})
	RenameTable = shape("rename-table", "ALTER TABLE ... RENAME TO",
		"ALTER TABLE t RENAME TO t2",
		Facts{Table: AccessExclusive})
	RenameColumn = shape("rename-column", "ALTER TABLE ... RENAME COLUMN",
		"ALTER TABLE t RENAME COLUMN b TO b2",
		Facts{Table: AccessExclusive})
	RenameIndex = shape("rename-index", "ALTER INDEX ... RENAME TO",
		"ALTER INDEX t_a_idx RENAME TO t_a_idx2",
		Facts{Other: AccessExclusive, OtherRole: indexRole,
			Note: "before PostgreSQL 12 the index is locked ACCESS EXCLUSIVE, and every query that plans on its table waits"},
		from(12, Facts{Other: ShareUpdateExclusive, OtherRole: indexRole,
			Note: "PostgreSQL 12 lowered ALTER INDEX ... RENAME to SHARE UPDATE EXCLUSIVE on the index; the table is not locked"}))
	RenameConstraint = shape("rename-constraint", "ALTER TABLE ... RENAME CONSTRAINT",
		"ALTER TABLE t RENAME CONSTRAINT t_pkey TO t_pkey2",
		Facts{Table: AccessExclusive, Indexes: AccessExclusive},
		// The index of a primary key or unique constraint is renamed with it, under the
		// lock ALTER INDEX ... RENAME takes.
		from(12, Facts{Table: AccessExclusive, Indexes: ShareUpdateExclusive}))
	// Sequences and views are relations too: a statement that locks one makes every
	// query that uses it (nextval for a sequence, any SELECT for a view) queue behind
	// it while it waits.
	DropSequence = shape("drop-sequence", "DROP SEQUENCE",
		"DROP SEQUENCE s",
		Facts{Table: AccessExclusive})
	RenameSequence = shape("rename-sequence", "ALTER SEQUENCE ... RENAME TO",
		"ALTER SEQUENCE s RENAME TO s2",
		Facts{Table: AccessExclusive})
	AlterSequence = shape("alter-sequence", "ALTER SEQUENCE (RESTART, INCREMENT, OWNED BY ...)",
		"ALTER SEQUENCE s RESTART WITH 100",
		Facts{Table: ShareRowExclusive})
	DropView = shape("drop-view", "DROP VIEW / DROP MATERIALIZED VIEW",
		"DROP VIEW v",
		Facts{Table: AccessExclusive})
	RenameView = shape("rename-view", "ALTER VIEW / MATERIALIZED VIEW ... RENAME TO",
		"ALTER VIEW v RENAME TO v2",
		Facts{Table: AccessExclusive})
	// CREATE OR REPLACE VIEW opens the existing view ACCESS EXCLUSIVE before it swaps
	// the view's rule (DefineVirtualRelation), so it waits for every query reading the
	// view and every later one queues behind it; the tables its query names are only
	// read (ACCESS SHARE) while the query is analysed.
	ReplaceView = shape("replace-view", "CREATE OR REPLACE VIEW",
		"CREATE OR REPLACE VIEW v AS SELECT id, a, b FROM t",
		Facts{Table: AccessExclusive})
	AddColumn = shape("add-column", "ADD COLUMN (nullable, no default)",
		"ALTER TABLE t ADD COLUMN e text",
		Facts{Table: AccessExclusive})
	AddColumnDefault = shape("add-column-default", "ADD COLUMN with a non-volatile default",
		"ALTER TABLE t ADD COLUMN e text DEFAULT 'x'",
		Facts{Table: AccessExclusive, Indexes: AccessExclusive, Rewrite: true, Scan: true, Work: estimate.Rewrite, Note: "before PostgreSQL 11 any default rewrites the table"},
		from(11, Facts{Table: AccessExclusive, Note: "from PostgreSQL 11 a non-volatile default is stored in the catalog, no rewrite"}))
	AddColumnNotNullDefault = shape("add-column-not-null-default", "ADD COLUMN NOT NULL with a non-volatile default",
		"ALTER TABLE t ADD COLUMN e int NOT NULL DEFAULT 0",
		Facts{Table: AccessExclusive, Indexes: AccessExclusive, Rewrite: true, Scan: true, Work: estimate.Rewrite},
		from(11, Facts{Table: AccessExclusive}))
	AddColumnVolatileDefault = shape("add-column-volatile-default", "ADD COLUMN with a volatile default",
		"ALTER TABLE t ADD COLUMN e double precision DEFAULT random()",
		Facts{Indexes: AccessExclusive, Table: AccessExclusive, Rewrite: true, Scan: true, Work: estimate.Rewrite})
	AddColumnGenerated = shape("add-column-generated", "ADD COLUMN serial, identity or GENERATED STORED",
		"ALTER TABLE t ADD COLUMN e bigserial",
		Facts{Indexes: AccessExclusive, Table: AccessExclusive, Rewrite: true, Scan: true, Work: estimate.Rewrite})
	AddColumnNotNull = shape("add-column-not-null", "ADD COLUMN NOT NULL without a default",
		"ALTER TABLE child ADD COLUMN e int NOT NULL",
		Facts{Table: AccessExclusive, Scan: true, Work: estimate.ValidationScan, Note: "fails with \"contains null values\" on any table with rows"})
	DropColumn = shape("drop-column", "DROP COLUMN",
		"ALTER TABLE t DROP COLUMN b",
		Facts{Table: AccessExclusive})
	AlterColumnType = shape("alter-column-type", "ALTER COLUMN ... TYPE",
		"ALTER TABLE t ALTER COLUMN a TYPE bigint",
		Facts{Indexes: AccessExclusive, Table: AccessExclusive, Rewrite: true, Scan: true, Work: estimate.Rewrite})
	AlterColumnTypeCoercible = shape("alter-column-type-coercible", "ALTER COLUMN ... TYPE (binary-coercible)",
		"ALTER TABLE t ALTER COLUMN c TYPE varchar(40) USING c::varchar(40)",
		Facts{Table: AccessExclusive, Note: "a binary-coercible change (varchar(n) to varchar(m >= n) or text) keeps the data in place"})
	// The collation is part of an index's definition, so PostgreSQL rebuilds every index
	// on the column even when the type change alone keeps it (seen on 10 to 18: the
	// table keeps its relfilenode and is not rewritten; the index on the column is
	// dropped and built again, a new relation like CREATE INDEX's, under ACCESS
	// EXCLUSIVE on the old one and SHARE on the table; the other indexes are not locked).
	AlterColumnTypeCollation = shape("alter-column-type-collation", "ALTER COLUMN ... TYPE ... COLLATE (binary-coercible type)",
		`ALTER TABLE t ALTER COLUMN c TYPE varchar(20) COLLATE "C"`,
		Facts{Indexes: AccessExclusive, Table: AccessExclusive, Scan: true, Work: estimate.IndexBuild,
			Note: "the table's data stays in place; every index on the column is rebuilt for the new collation"})
	SetDefault = shape("set-default", "ALTER COLUMN ... SET/DROP DEFAULT",
		"ALTER TABLE t ALTER COLUMN a SET DEFAULT 0",
		Facts{Table: AccessExclusive})
	SetNotNull = shape("set-not-null", "ALTER COLUMN ... SET NOT NULL",
		"ALTER TABLE t ALTER COLUMN a SET NOT NULL",
		Facts{Table: AccessExclusive, Scan: true, Work: estimate.ValidationScan})
	SetNotNullChecked = shape("set-not-null-checked", "ALTER COLUMN ... SET NOT NULL after a validated CHECK (col IS NOT NULL)",
		"ALTER TABLE t ALTER COLUMN a SET NOT NULL",
		Facts{Table: AccessExclusive, Scan: true, Work: estimate.ValidationScan, Note: "before PostgreSQL 12 a CHECK constraint does not spare the scan"},
		from(12, Facts{Table: AccessExclusive, Note: "from PostgreSQL 12 a validated CHECK (col IS NOT NULL) lets SET NOT NULL skip its scan"}))
	DropNotNull = shape("drop-not-null", "ALTER COLUMN ... DROP NOT NULL",
		"ALTER TABLE t ALTER COLUMN d DROP NOT NULL",
		Facts{Table: AccessExclusive})
	SetStatistics = shape("set-statistics", "ALTER COLUMN ... SET STATISTICS",
		"ALTER TABLE t ALTER COLUMN a SET STATISTICS 500",
		Facts{Table: ShareUpdateExclusive})
	SetStorage = shape("set-storage", "ALTER COLUMN ... SET STORAGE",
		"ALTER TABLE t ALTER COLUMN b SET STORAGE EXTERNAL",
		Facts{Table: AccessExclusive})
	AddCheck = shape("add-check", "ADD CONSTRAINT ... CHECK",
		"ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0)",
		Facts{Table: AccessExclusive, Scan: true, Work: estimate.ValidationScan})
	AddCheckNotValid = shape("add-check-not-valid", "ADD CONSTRAINT ... CHECK ... NOT VALID",
		"ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0) NOT VALID",
		Facts{Table: AccessExclusive})
	AddForeignKey = shape("add-foreign-key", "ADD CONSTRAINT ... FOREIGN KEY",
		"ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id)",
		Facts{Indexes: AccessShare, Table: ShareRowExclusive, Other: ShareRowExclusive, OtherRole: refTable, Scan: true, Work: estimate.ValidationScan})
	// ADD COLUMN ... REFERENCES with no default: every existing row holds NULL in the
	// new column, so PostgreSQL marks the key valid without checking any row (checked
	// on PostgreSQL 10 and 15: no read of the table).
	AddColumnForeignKey = shape("add-column-foreign-key", "ADD COLUMN ... REFERENCES, no default (not checked against rows)",
		"ALTER TABLE t ADD COLUMN e bigint REFERENCES parent (id)",
		Facts{Table: AccessExclusive, Other: ShareRowExclusive, OtherRole: refTable})
	AddForeignKeyNotValid = shape("add-foreign-key-not-valid", "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID",
		"ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID",
		Facts{Table: ShareRowExclusive, Other: ShareRowExclusive, OtherRole: refTable})
	ValidateConstraint = shape("validate-constraint", "VALIDATE CONSTRAINT (CHECK)",
		"ALTER TABLE t VALIDATE CONSTRAINT t_a_pos",
		Facts{Table: ShareUpdateExclusive, Scan: true, Work: estimate.ValidationScan})
	ValidateForeignKey = shape("validate-foreign-key", "VALIDATE CONSTRAINT (FOREIGN KEY)",
		"ALTER TABLE t VALIDATE CONSTRAINT t_parent_fk",
		Facts{Indexes: AccessShare, Table: ShareUpdateExclusive, Other: RowShare, OtherRole: refTable, Scan: true, Work: estimate.ValidationScan})
	AddUnique = shape("add-unique", "ADD CONSTRAINT ... UNIQUE / PRIMARY KEY (builds an index)",
		"ALTER TABLE t ADD CONSTRAINT t_b_key UNIQUE (b)",
		Facts{Table: AccessExclusive, Scan: true, Work: estimate.IndexBuild})
	AddUniqueUsingIndex = shape("add-unique-using-index", "ADD CONSTRAINT ... UNIQUE / PRIMARY KEY USING INDEX",
		"ALTER TABLE t ADD CONSTRAINT t_b_key UNIQUE USING INDEX t_b_uidx",
		Facts{Table: AccessExclusive, Indexes: AccessExclusive},
		from(12, Facts{Table: AccessExclusive, Indexes: ShareUpdateExclusive}))
	AddExclusion = shape("add-exclusion", "ADD CONSTRAINT ... EXCLUDE",
		"ALTER TABLE t ADD CONSTRAINT t_a_excl EXCLUDE USING btree (a WITH =)",
		Facts{Table: AccessExclusive, Scan: true, Work: estimate.IndexBuild})
	DropConstraint = shape("drop-constraint", "DROP CONSTRAINT",
		"ALTER TABLE t DROP CONSTRAINT t_pkey",
		Facts{Indexes: AccessExclusive, Table: AccessExclusive, Note: "dropping a foreign key also takes ACCESS EXCLUSIVE on the referenced table"})
	DropForeignKey = shape("drop-foreign-key", "DROP CONSTRAINT (FOREIGN KEY)",
		"ALTER TABLE child DROP CONSTRAINT child_parent_id_fkey",
		Facts{Table: AccessExclusive, Other: AccessExclusive, OtherRole: refTable})
	SetTablespace = shape("set-tablespace", "SET TABLESPACE",
		"ALTER TABLE t SET TABLESPACE spare",
		Facts{Table: AccessExclusive, Rewrite: true, Work: estimate.Rewrite, Note: "the files are copied block by block, not row by row"})
	SetLogged = shape("set-logged", "SET LOGGED / UNLOGGED",
		"ALTER TABLE t SET UNLOGGED",
		Facts{Indexes: AccessExclusive, Table: AccessExclusive, Rewrite: true, Scan: true, Work: estimate.Rewrite})
	SetReloptionsLight = shape("set-storage-parameter", "SET (fillfactor / autovacuum_* ...)",
		"ALTER TABLE t SET (autovacuum_vacuum_scale_factor = 0.01)",
		Facts{Table: ShareUpdateExclusive})
	EnableTrigger = shape("enable-trigger", "ENABLE / DISABLE TRIGGER",
		"ALTER TABLE t DISABLE TRIGGER ALL",
		Facts{Table: ShareRowExclusive})
	AlterTableOther = shape("alter-table", "other ALTER TABLE forms",
		"ALTER TABLE t REPLICA IDENTITY FULL",
		Facts{Table: AccessExclusive})
	AttachPartition = shape("attach-partition", "ATTACH PARTITION",
		"ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
		Facts{Table: AccessExclusive, Other: AccessExclusive, OtherRole: partRole, Scan: true, Work: estimate.ValidationScan, WorkOnOther: true},
		from(12, Facts{Table: ShareUpdateExclusive, Other: AccessExclusive, OtherRole: partRole, Scan: true, Work: estimate.ValidationScan, WorkOnOther: true,
			Note: "from PostgreSQL 12 ATTACH PARTITION takes SHARE UPDATE EXCLUSIVE on the parent; the partition is scanned unless a CHECK implies the bound"}))
	DetachPartition = shape("detach-partition", "DETACH PARTITION",
		"ALTER TABLE events DETACH PARTITION events_2024",
		Facts{Table: AccessExclusive, Other: ShareUpdateExclusive, OtherRole: partRole,
			Note: "before PostgreSQL 14 the partition itself is locked only SHARE UPDATE EXCLUSIVE"},
		from(14, Facts{Table: AccessExclusive, Other: AccessExclusive, OtherRole: partRole}))
	DetachPartitionConcurrently = shape("detach-partition-concurrently", "DETACH PARTITION CONCURRENTLY",
		"ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY",
		Facts{Unsupported: true, Note: "DETACH PARTITION CONCURRENTLY needs PostgreSQL 14"},
		from(14, Facts{Table: ShareUpdateExclusive, Other: ShareUpdateExclusive, OtherRole: partRole, NoTransaction: true}))
	VacuumFull = shape("vacuum-full", "VACUUM FULL",
		"VACUUM FULL t",
		Facts{Table: AccessExclusive, Rewrite: true, Scan: true, NoTransaction: true, Work: estimate.Rewrite})
	Vacuum = shape("vacuum", "VACUUM",
		"VACUUM t",
		Facts{Table: ShareUpdateExclusive, Scan: true, NoTransaction: true, Work: estimate.Scan})
	Analyze = shape("analyze", "ANALYZE",
		"ANALYZE t",
		Facts{Indexes: AccessShare, Table: ShareUpdateExclusive})
	Cluster = shape("cluster", "CLUSTER",
		"CLUSTER t USING t_pkey",
		Facts{Indexes: AccessExclusive, Table: AccessExclusive, Rewrite: true, Scan: true, Work: estimate.Rewrite})
	LockTable = shape("lock-table", "LOCK TABLE",
		"LOCK TABLE t IN SHARE MODE",
		Facts{Table: AccessExclusive, Note: "LOCK TABLE takes the mode it names; ACCESS EXCLUSIVE when none is named"})
	RefreshMatView = shape("refresh-materialized-view", "REFRESH MATERIALIZED VIEW",
		"REFRESH MATERIALIZED VIEW mv",
		Facts{Table: AccessExclusive, Rewrite: true, Scan: true, Work: estimate.Rewrite})
	RefreshMatViewConcurrently = shape("refresh-materialized-view-concurrently", "REFRESH MATERIALIZED VIEW CONCURRENTLY",
		"REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
		Facts{Indexes: RowExclusive, Table: Exclusive, Scan: true, Work: estimate.Rewrite})
	CreateTrigger = shape("create-trigger", "CREATE TRIGGER",
		"CREATE TRIGGER t_noop BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()",
		Facts{Table: ShareRowExclusive})
	DropTrigger = shape("drop-trigger", "DROP TRIGGER",
		"DROP TRIGGER t_noop ON t",
		Facts{Table: AccessExclusive})
	CreatePolicy = shape("create-policy", "CREATE POLICY",
		"CREATE POLICY t_all ON t USING (true)",
		Facts{Table: AccessExclusive})
	AlterEnumAddValue = shape("alter-enum-add-value", "ALTER TYPE ... ADD VALUE",
		"ALTER TYPE mood ADD VALUE 'meh'",
		Facts{NoTransaction: true, Note: "before PostgreSQL 12 ALTER TYPE ... ADD VALUE cannot run inside a transaction block"},
		from(12, Facts{Note: "from PostgreSQL 12 ADD VALUE runs in a transaction, but the new value cannot be used until it commits"}))
	Update = shape("update", "UPDATE",
		"UPDATE t SET a = a + 1",
		Facts{Indexes: RowExclusive, Table: RowExclusive, Scan: true, Work: estimate.Backfill})
	Delete = shape("delete", "DELETE",
		"DELETE FROM t WHERE c = 'none'",
		Facts{Indexes: RowExclusive, Table: RowExclusive, Scan: true, Work: estimate.Backfill})
	Insert = shape("insert", "INSERT",
		"INSERT INTO t (id) VALUES (100000)",
		Facts{Table: RowExclusive})
	InsertSelect = shape("insert-select", "INSERT ... SELECT from a table (a bulk copy)",
		"INSERT INTO t_copy SELECT * FROM t",
		Facts{Table: RowExclusive, Other: AccessShare, OtherRole: SourceRole, Scan: true, Work: estimate.BulkCopy, WorkOnOther: true})
	DoCommit = shape("do-commit", "DO with COMMIT or ROLLBACK in its body",
		"DO $$ BEGIN COMMIT; END $$",
		Facts{Unsupported: true, Note: "before PostgreSQL 11 PL/pgSQL cannot COMMIT or ROLLBACK (\"cannot begin/end transactions in PL/pgSQL\")"},
		from(11, Facts{NoTransaction: true, Note: "from PostgreSQL 11 a DO block may COMMIT or ROLLBACK only when it runs outside a transaction block (else \"invalid transaction termination\")"}))
	Comment = shape("comment", "COMMENT ON",
		"COMMENT ON TABLE t IS 'x'",
		Facts{Table: ShareUpdateExclusive})
)

// Shapes lists every shape, for documentation and the oracle.
var Shapes = []*Shape{
	CreateTable, CreateTableFK, CreateIndex, CreateIndexConcurrently, DropIndex, DropIndexConcurrently,
	ReindexIndex, ReindexTable, ReindexConcurrently, DropTable, Truncate, RenameTable, RenameColumn,
	RenameIndex, RenameConstraint, DropSequence, RenameSequence, AlterSequence, DropView, RenameView, ReplaceView, AddColumn, AddColumnDefault, AddColumnNotNullDefault, AddColumnVolatileDefault,
	AddColumnGenerated, AddColumnNotNull, DropColumn, AlterColumnType, AlterColumnTypeCoercible, AlterColumnTypeCollation,
	SetDefault, SetNotNull, SetNotNullChecked, DropNotNull, SetStatistics, SetStorage, AddCheck,
	AddCheckNotValid, AddForeignKey, AddColumnForeignKey, AddForeignKeyNotValid, ValidateConstraint, ValidateForeignKey,
	AddUnique, AddUniqueUsingIndex, AddExclusion, DropConstraint, DropForeignKey, SetTablespace,
	SetLogged, SetReloptionsLight, EnableTrigger, AlterTableOther, AttachPartition, DetachPartition,
	DetachPartitionConcurrently, VacuumFull, Vacuum, Analyze, Cluster, LockTable, RefreshMatView,
	RefreshMatViewConcurrently, CreateTrigger, DropTrigger, CreatePolicy, AlterEnumAddValue, Update,
	Delete, Insert, InsertSelect, DoCommit, Comment,
}

func init() {
	for _, s := range []*Shape{DropSequence, RenameSequence, AlterSequence} {
		s.ExampleNeeds = "CREATE SEQUENCE s"
	}
	DropView.ExampleNeeds = "CREATE VIEW v AS SELECT id, a FROM t"
	RenameView.ExampleNeeds = "CREATE VIEW v AS SELECT id, a FROM t"
	ReplaceView.ExampleNeeds = "CREATE VIEW v AS SELECT id, a FROM t"
	ValidateConstraint.ExampleNeeds = "ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0) NOT VALID"
	ValidateForeignKey.ExampleNeeds = "ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID"
	SetNotNullChecked.ExampleNeeds = "ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL)"
	AddUniqueUsingIndex.ExampleNeeds = "CREATE UNIQUE INDEX t_b_uidx ON t (b)"
	// An index on the column, for the rebuild a new collation causes to be seen.
	AlterColumnTypeCollation.ExampleNeeds = "CREATE INDEX t_c_idx ON t (c)"
	RefreshMatView.ExampleNeeds = "CREATE MATERIALIZED VIEW mv AS SELECT id, a FROM t"
	RefreshMatViewConcurrently.ExampleNeeds = "CREATE MATERIALIZED VIEW mv AS SELECT id, a FROM t; CREATE UNIQUE INDEX mv_id ON mv (id)"
	DropTrigger.ExampleNeeds = "CREATE TRIGGER t_noop BEFORE UPDATE ON t FOR EACH ROW EXECUTE PROCEDURE suppress_redundant_updates_trigger()"
	AlterEnumAddValue.ExampleNeeds = "CREATE TYPE mood AS ENUM ('sad', 'happy')"
	InsertSelect.ExampleNeeds = "CREATE TABLE t_copy (LIKE t INCLUDING ALL)"
	// On a table with rows the statement fails ("contains null values"); the oracle
	// needs it to succeed to see its locks.
	AddColumnNotNull.ExampleNeeds = "TRUNCATE child"
	CreateTrigger.Example = "CREATE TRIGGER t_noop BEFORE UPDATE ON t FOR EACH ROW EXECUTE PROCEDURE suppress_redundant_updates_trigger()"
}
