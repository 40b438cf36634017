package orm

import (
	"fmt"
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
)

// The Alembic front end: revision files with upgrade() and downgrade() calling op.*,
// and the SQL Alembic and SQLAlchemy's PostgreSQL dialect emit for them (checked
// against Alembic's offline --sql mode in oracle_test.go). Alembic's env.py runs the
// migrations in one transaction; op.get_context().autocommit_block() steps out of it
// and a new transaction starts after the block.

type alembic struct {
	t   *translation
	sec migration.Section
	// seg numbers the transactions autocommit blocks split the section into; noTx is
	// set inside a block.
	seg  int
	noTx bool
	// binds are local names for op.get_bind() / op (conn = op.get_bind()).
	binds map[string]bool
	// strs are local variables holding SQL strings.
	strs map[string]*node
}

func translateAlembic(t *translation) {
	root, src := parsePython(t.src)
	t.read(src)
	pyInlineConstants(root)
	var upgrade, downgrade *node
	for _, s := range root.body {
		if s.kind == kFunc && s.name == "upgrade" {
			upgrade = s
		}
		if s.kind == kFunc && s.name == "downgrade" {
			downgrade = s
		}
	}
	if upgrade == nil {
		t.note(0, 0, "this Alembic revision has no upgrade() function")
		return
	}
	a := &alembic{t: t, sec: migration.Up, binds: map[string]bool{"op": true}, strs: map[string]*node{}}
	a.body(upgrade.body)
	if downgrade != nil {
		t.downFound, t.downStart, t.downEnd = true, downgrade.start, downgrade.end
		a.sec, a.seg, a.noTx = migration.Down, 0, false
		a.body(downgrade.body)
	}
}

func (a *alembic) body(stmts []*node) {
	for _, s := range stmts {
		a.stmt(s)
	}
}

func (a *alembic) stmt(s *node) {
	switch s.kind {
	case kCall:
		a.call(s)
	case kAssign:
		v := s.args[0]
		switch {
		case v != nil && v.kind == kStr:
			a.strs[s.name] = v
		case v != nil && v.kind == kCall && (v.callee() == "op.get_bind" || v.name == "get_bind"):
			a.binds[s.name] = true
		case v != nil && v.kind == kCall && v.name == "text" && v.arg(0) != nil && v.arg(0).kind == kStr:
			a.strs[s.name] = v.arg(0)
		default:
			if v != nil {
				a.stmt(v)
			}
		}
	case kWith:
		block := false
		for _, ctx := range s.args {
			if ctx != nil && ctx.kind == kCall && ctx.name == "autocommit_block" {
				block = true
			}
			if ctx != nil && ctx.kind == kCall && ctx.name == "batch_alter_table" {
				a.batch(s, ctx)
				return
			}
		}
		if block {
			a.noTx = true
			a.body(s.body)
			a.noTx = false
			a.seg++ // Alembic begins a new transaction after the block
			return
		}
		a.body(s.body)
	case kFunc, kClass, kStr, kNum, kName, kAttr, kBool, kNull:
	default:
		if s.name == "pass" {
			return
		}
		a.body(s.body)
	}
}

// batch handles `with op.batch_alter_table("t") as batch_op:`: on PostgreSQL the
// batch runs the same ALTERs with the table filled in.
func (a *alembic) batch(w, ctx *node) {
	table := ctx.arg(0)
	if table == nil {
		table = ctx.opt("table_name")
	}
	for _, s := range w.body {
		if s.kind == kCall && s.recv != nil && s.recv.kind == kName {
			c := *s
			at, ok := batchTableArg[c.name]
			if h := alembicOps[c.name]; ok && h != nil {
				switch {
				case at.pos <= len(s.args):
					c.args = append(append(append([]*node{}, s.args[:at.pos]...), table), s.args[at.pos:]...)
				default: // the arguments before the table are keywords
					c.kw = append(append([]kwarg{}, s.kw...), kwarg{key: at.key, val: table})
				}
				h(a, &c)
				continue
			}
			a.t.unknown(s, "`batch_op."+s.name+"`")
			continue
		}
		a.stmt(s)
	}
}

// batchTableArg is where the table goes in the op.* call a batch_op.* call stands
// for: first for the column operations, after the index or constraint name for the
// others (batch_op.create_index("ix", ["a"]) is op.create_index("ix", "t", ["a"])).
// Only BatchOperations' own methods are listed.
var batchTableArg = map[string]struct {
	pos int
	key string
}{
	"add_column":               {0, "table_name"},
	"drop_column":              {0, "table_name"},
	"alter_column":             {0, "table_name"},
	"create_table_comment":     {0, "table_name"},
	"drop_table_comment":       {0, "table_name"},
	"create_index":             {1, "table_name"},
	"drop_index":               {1, "table_name"},
	"create_foreign_key":       {1, "source_table"},
	"create_unique_constraint": {1, "table_name"},
	"create_check_constraint":  {1, "table_name"},
	"create_primary_key":       {1, "table_name"},
	"drop_constraint":          {1, "table_name"},
}

func (a *alembic) call(c *node) {
	recv := c.recv.path()
	if recv == "op" || a.binds[recv] || strings.HasSuffix(recv, "get_bind") || c.recv != nil && c.recv.kind == kCall && c.recv.name == "get_bind" {
		if c.name == "execute" || c.name == "exec_driver_sql" {
			a.execute(c)
			return
		}
		if h, ok := alembicOps[c.name]; ok && recv == "op" {
			h(a, c)
			return
		}
	}
	switch c.name {
	case "print", "info", "debug", "warning":
		return
	}
	a.t.unknown(c, "`"+exprText(a.t, c)+"`")
}

func (a *alembic) add(c *node, b *sqlb) *op {
	o := a.t.add(c, a.sec, b)
	o.noTx, o.seg = a.noTx, a.seg
	if a.sec == migration.Up {
		o.rewrite = a.rewriter(c, o)
	}
	return o
}

// autocommit puts the statement holding call c inside
// `with op.get_context().autocommit_block():`, indenting its lines.
func (a *alembic) autocommit(c *node) func() (string, []migration.TextEdit) {
	return func() (string, []migration.TextEdit) {
		first := a.t.lineStartAt(c.start)
		indent := a.t.indentAt(c.start)
		edits := []migration.TextEdit{{Start: first, End: first, NewText: indent + "with op.get_context().autocommit_block():\n    "}}
		for i := c.start; i < c.end; i++ {
			if a.t.src[i] == '\n' && i+1 < c.end {
				edits = append(edits, migration.TextEdit{Start: i + 1, End: i + 1, NewText: "    "})
			}
		}
		return "Run it in op.get_context().autocommit_block(), outside the migration's transaction", edits
	}
}

// rewriter writes the safe forms of an op call: postgresql_concurrently=True and
// CONCURRENTLY in op.execute, inside an autocommit block.
func (a *alembic) rewriter(c *node, o *op) rewriter {
	by := map[migration.Intent]func() (string, []migration.TextEdit){}
	var outside func() (string, []migration.TextEdit)
	if !o.noTx {
		outside = a.autocommit(c)
		by[migration.OutsideTransaction] = outside
	}
	switch {
	case c.name == "create_index" || c.name == "drop_index":
		by[migration.Concurrently] = combine(func() (string, []migration.TextEdit) {
			e, ok := setOption(c, "postgresql_concurrently", "postgresql_concurrently=True")
			if !ok {
				return "", nil
			}
			return "Use postgresql_concurrently=True inside op.get_context().autocommit_block()", []migration.TextEdit{e}
		}, outside)
	case o.raw:
		by[migration.Concurrently] = combine(a.t.rawConcurrently(o), outside)
	}
	return rewrites(by)
}

// sqlArg resolves op.execute's argument: a string, sa.text("..."), or a local name.
func (a *alembic) sqlArg(n *node) *node {
	switch {
	case n == nil:
		return nil
	case n.kind == kStr:
		return n
	case n.kind == kCall && n.name == "text":
		return a.sqlArg(n.arg(0))
	case n.kind == kName:
		return a.strs[n.name]
	case n.kind == kCall && (n.name == "dedent" || n.name == "strip") && n.arg(0) != nil:
		s := a.sqlArg(n.arg(0))
		if s != nil && n.name == "dedent" {
			return &node{kind: kStr, start: s.start, end: s.end, str: s.str.dedent()}
		}
		return s
	}
	return nil
}

func (a *alembic) execute(c *node) {
	s := a.sqlArg(c.arg(0))
	if s == nil {
		a.t.unknown(c, "`execute` of a SQLAlchemy expression or SQL built at run time")
		return
	}
	o := a.t.addRaw(c, a.sec, s.str)
	o.noTx, o.seg = a.noTx, a.seg
	if a.sec == migration.Up {
		o.rewrite = a.rewriter(c, o)
	}
}

var alembicOps map[string]func(a *alembic, c *node)

func init() {
	alembicOps = map[string]func(a *alembic, c *node){
		"add_column":               (*alembic).addColumn,
		"drop_column":              (*alembic).dropColumn,
		"alter_column":             (*alembic).alterColumn,
		"create_index":             (*alembic).createIndex,
		"drop_index":               (*alembic).dropIndex,
		"create_foreign_key":       (*alembic).createForeignKey,
		"create_unique_constraint": (*alembic).createUnique,
		"create_check_constraint":  (*alembic).createCheck,
		"create_primary_key":       (*alembic).createPrimaryKey,
		"drop_constraint":          (*alembic).dropConstraint,
		"rename_table":             (*alembic).renameTable,
		"create_table":             (*alembic).createTable,
		"drop_table":               (*alembic).dropTable,
		"create_table_comment":     func(a *alembic, c *node) {},
		"drop_table_comment":       func(a *alembic, c *node) {},
		"bulk_insert":              (*alembic).bulkInsert,
	}
}

// name reads a string argument by position or keyword.
func (a *alembic) name(c *node, pos int, key string) string {
	if v := c.opt(key); v != nil {
		return v.word()
	}
	return c.arg(pos).word()
}

func (a *alembic) require(c *node, vals ...string) bool {
	for _, v := range vals {
		if v == "" {
			a.t.unknown(c, "`op."+c.name+"` with names computed at run time")
			return false
		}
	}
	return true
}

// saType renders a SQLAlchemy type as its PostgreSQL dialect compiles it.
func saType(n *node) string {
	if n == nil {
		return "VARCHAR"
	}
	name, args := n.name, n.args
	if n.kind == kAttr || n.kind == kName {
		name, args = n.name, nil
	}
	if n.kind == kCall && n.name == "with_variant" && n.recv != nil {
		return saType(n.recv)
	}
	num := func(i int) string {
		if i < len(args) {
			return args[i].num()
		}
		return ""
	}
	switch name {
	case "String", "Unicode", "VARCHAR", "AutoString", "CHAR", "NVARCHAR":
		base := "VARCHAR"
		if name == "CHAR" {
			base = "CHAR"
		}
		l := num(0)
		if l == "" {
			l = n.opt("length").num()
		}
		if l != "" {
			return base + "(" + l + ")"
		}
		return base
	case "Text", "UnicodeText", "TEXT", "CITEXT":
		if name == "CITEXT" {
			return "CITEXT"
		}
		return "TEXT"
	case "Integer", "INTEGER", "INT":
		return "INTEGER"
	case "BigInteger", "BIGINT":
		return "BIGINT"
	case "SmallInteger", "SMALLINT":
		return "SMALLINT"
	case "Boolean", "BOOLEAN":
		return "BOOLEAN"
	case "DateTime", "TIMESTAMP":
		if n.opt("timezone").truthy() || len(args) > 0 && args[0].truthy() {
			return "TIMESTAMP WITH TIME ZONE"
		}
		return "TIMESTAMP WITHOUT TIME ZONE"
	case "Date", "DATE":
		return "DATE"
	case "Time", "TIME":
		if n.opt("timezone").truthy() {
			return "TIME WITH TIME ZONE"
		}
		return "TIME WITHOUT TIME ZONE"
	case "Numeric", "NUMERIC", "DECIMAL":
		p, s := num(0), num(1)
		if p == "" {
			p = n.opt("precision").num()
		}
		if s == "" {
			s = n.opt("scale").num()
		}
		switch {
		case p != "" && s != "":
			return "NUMERIC(" + p + ", " + s + ")"
		case p != "":
			return "NUMERIC(" + p + ")"
		}
		return "NUMERIC"
	case "Float", "FLOAT", "REAL", "DOUBLE_PRECISION", "Double":
		switch name {
		case "REAL":
			return "REAL"
		case "DOUBLE_PRECISION", "Double":
			return "DOUBLE PRECISION"
		}
		return "FLOAT"
	case "JSON":
		return "JSON"
	case "JSONB":
		return "JSONB"
	case "UUID", "Uuid", "GUID":
		return "UUID"
	case "LargeBinary", "BYTEA":
		return "BYTEA"
	case "Interval", "INTERVAL":
		return "INTERVAL"
	case "INET":
		return "INET"
	case "ARRAY":
		return saType(n.arg(0)) + "[]"
	case "Enum", "ENUM":
		if e := n.opt("name").word(); e != "" {
			return e
		}
		return "VARCHAR"
	}
	return strings.ToUpper(name)
}

// saDefault renders a server_default: a string literal, sa.text("..."), sa.func.x().
func saDefault(n *node) (string, bool) {
	switch {
	case n == nil:
		return "", false
	case n.kind == kStr && !n.str.dynamic():
		return ql(n.str.text), true
	case n.kind == kCall && n.name == "text" && n.arg(0) != nil && n.arg(0).kind == kStr:
		return n.arg(0).str.text, true
	case n.kind == kCall && n.recv != nil && strings.HasSuffix(n.recv.path(), "func"):
		return n.name + "()", true
	case n.kind == kCall && (n.name == "false" || n.name == "true"):
		return n.name, true
	}
	return "", false
}

// column is a sa.Column(name, type, ...) call.
type saColumn struct {
	node     *node
	name     string
	typ      *node
	nullable bool
	pk       bool
	fks      []*node // sa.ForeignKey(...) arguments
	unique   bool
	index    bool
}

func (a *alembic) column(n *node) (saColumn, bool) {
	c := saColumn{node: n, nullable: true}
	if n == nil || n.kind != kCall || n.name != "Column" {
		return c, false
	}
	for i, arg := range n.args {
		switch {
		case i == 0 && arg.kind == kStr:
			c.name = arg.word()
		case arg.kind == kCall && arg.name == "ForeignKey":
			c.fks = append(c.fks, arg)
		case c.typ == nil && (arg.kind == kCall || arg.kind == kAttr || arg.kind == kName):
			c.typ = arg
		}
	}
	if t := n.opt("type_"); t != nil {
		c.typ = t
	}
	c.pk = n.opt("primary_key").truthy()
	if v := n.opt("nullable"); v != nil {
		c.nullable = !v.falsy()
	} else if c.pk {
		c.nullable = false
	}
	c.unique = n.opt("unique").truthy()
	c.index = n.opt("index").truthy()
	return c, c.name != ""
}

// columnDef writes "name TYPE [DEFAULT x] [NOT NULL]" as SQLAlchemy's DDL compiler does.
func (a *alembic) columnDef(b *sqlb, c saColumn, inTable bool) {
	b.w(qi(c.name), " ")
	typ := saType(c.typ)
	if inTable && c.pk && c.typ != nil && n0(c.node.opt("autoincrement")) {
		switch typ {
		case "INTEGER":
			typ = "SERIAL"
		case "BIGINT":
			typ = "BIGSERIAL"
		case "SMALLINT":
			typ = "SMALLSERIAL"
		}
	}
	b.from(c.typ, typ)
	if e, ok := c.node.optEntry("server_default"); ok {
		if v, ok := saDefault(e.val); ok {
			b.fromSpan(e.start, e.end, " DEFAULT "+v)
		}
	}
	if !c.nullable {
		if e, ok := c.node.optEntry("nullable"); ok {
			b.fromSpan(e.start, e.end, " NOT NULL")
		} else {
			b.w(" NOT NULL")
		}
	}
}

// n0 reports an autoincrement setting that leaves SERIAL on (absent or "auto"/True).
func n0(v *node) bool { return v == nil || v.truthy() || v.word() == "auto" }

func (a *alembic) addColumn(c *node) {
	table := a.name(c, 0, "table_name")
	col, ok := a.column(c.arg(1))
	if !ok {
		a.t.unknown(c, "`op.add_column` of a column migsafe cannot read")
		return
	}
	if !a.require(c, table) {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ADD COLUMN ")
	a.columnDef(&b, col, false)
	a.add(c, &b)
	for _, fk := range col.fks {
		a.columnForeignKey(c, table, col.name, fk)
	}
}

// columnForeignKey is the ALTER TABLE ... ADD FOREIGN KEY Alembic emits for a column's
// sa.ForeignKey.
func (a *alembic) columnForeignKey(c *node, table, col string, fk *node) {
	ref := fk.arg(0).word()
	i := strings.LastIndexByte(ref, '.')
	if i < 0 {
		a.t.unknown(c, "a foreign key target migsafe cannot read")
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ADD ")
	if n := fk.opt("name").word(); n != "" {
		b.w("CONSTRAINT ", qi(n), " ")
	}
	b.from(fk, "FOREIGN KEY("+qi(col)+") REFERENCES "+qi(ref[:i])+" ("+qi(ref[i+1:])+")")
	a.fkActions(&b, fk)
	a.add(c, &b)
}

func (a *alembic) fkActions(b *sqlb, n *node) {
	for _, o := range []string{"ondelete", "onupdate"} {
		if e, ok := n.optEntry(o); ok {
			b.fromSpan(e.start, e.end, " ON "+strings.ToUpper(strings.TrimPrefix(o, "on"))+" "+strings.ToUpper(e.val.word()))
		}
	}
	if e, ok := n.optEntry("deferrable"); ok && e.val.truthy() {
		b.w(" DEFERRABLE")
	}
	if e, ok := n.optEntry("initially"); ok {
		b.w(" INITIALLY ", strings.ToUpper(e.val.word()))
	}
	if e, ok := n.optEntry("postgresql_not_valid"); ok && e.val.truthy() {
		b.fromSpan(e.start, e.end, " NOT VALID")
	}
}

func (a *alembic) dropColumn(c *node) {
	table, col := a.name(c, 0, "table_name"), a.name(c, 1, "column_name")
	if !a.require(c, table, col) {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " DROP COLUMN ").from(c.arg(1), qi(col))
	a.add(c, &b)
}

// alterColumn emits one ALTER TABLE per change, in the order Alembic's PostgreSQL
// implementation issues them: nullability, default, type, then the rename.
func (a *alembic) alterColumn(c *node) {
	table, col := a.name(c, 0, "table_name"), a.name(c, 1, "column_name")
	if !a.require(c, table, col) {
		return
	}
	alter := func(entry kwarg, text string) {
		var b sqlb
		b.w("ALTER TABLE ", qi(table), " ").fromSpan(entry.start, entry.end, text)
		a.add(c, &b)
	}
	if e, ok := c.optEntry("nullable"); ok {
		if e.val.falsy() {
			alter(e, "ALTER COLUMN "+qi(col)+" SET NOT NULL")
		} else if e.val.truthy() {
			alter(e, "ALTER COLUMN "+qi(col)+" DROP NOT NULL")
		}
	}
	if e, ok := c.optEntry("server_default"); ok {
		if e.val.kind == kNull || e.val.falsy() {
			alter(e, "ALTER COLUMN "+qi(col)+" DROP DEFAULT")
		} else if v, ok := saDefault(e.val); ok {
			alter(e, "ALTER COLUMN "+qi(col)+" SET DEFAULT "+v)
		}
	}
	if e, ok := c.optEntry("type_"); ok {
		text := "ALTER COLUMN " + qi(col) + " TYPE " + saType(e.val)
		if u := c.opt("postgresql_using"); u != nil && u.kind == kStr {
			text += " USING " + u.str.text
		}
		alter(e, text)
	}
	if e, ok := c.optEntry("new_column_name"); ok {
		alter(e, "RENAME "+qi(col)+" TO "+qi(e.val.word()))
	}
}

func (a *alembic) createIndex(c *node) {
	name, table := a.name(c, 0, "index_name"), a.name(c, 1, "table_name")
	colsNode := c.arg(2)
	if colsNode == nil {
		colsNode = c.opt("columns")
	}
	if !a.require(c, name, table) {
		return
	}
	if colsNode == nil || colsNode.kind != kList {
		a.t.unknown(c, "`op.create_index` with columns computed at run time")
		return
	}
	var b sqlb
	b.w("CREATE ")
	if c.opt("unique").truthy() {
		b.w("UNIQUE ")
	}
	b.w("INDEX ")
	if e, ok := c.optEntry("postgresql_concurrently"); ok && e.val.truthy() {
		b.fromSpan(e.start, e.end, "CONCURRENTLY ")
	}
	if c.opt("if_not_exists").truthy() {
		b.w("IF NOT EXISTS ")
	}
	b.w(qi(name), " ON ", qi(table))
	if u := c.opt("postgresql_using").word(); u != "" {
		b.w(" USING ", u)
	}
	b.w(" (")
	for i, e := range colsNode.items() {
		if i > 0 {
			b.w(", ")
		}
		switch {
		case e.kind == kStr:
			b.w(qi(e.word()))
		case e.kind == kCall && (e.name == "text" || e.name == "literal_column") && e.arg(0) != nil && e.arg(0).kind == kStr:
			b.raw(e.arg(0))
		default:
			a.t.unknown(c, "an index column migsafe cannot read")
			return
		}
	}
	b.w(")")
	if w := c.opt("postgresql_where"); w != nil {
		if s := a.sqlArg(w); s != nil {
			b.w(" WHERE ").raw(s)
		}
	}
	a.add(c, &b)
}

func (a *alembic) dropIndex(c *node) {
	name := a.name(c, 0, "index_name")
	if !a.require(c, name) {
		return
	}
	var b sqlb
	b.w("DROP INDEX ")
	if e, ok := c.optEntry("postgresql_concurrently"); ok && e.val.truthy() {
		b.fromSpan(e.start, e.end, "CONCURRENTLY ")
	}
	if c.opt("if_exists").truthy() {
		b.w("IF EXISTS ")
	}
	b.w(qi(name))
	a.add(c, &b)
}

func (a *alembic) createForeignKey(c *node) {
	name, src, ref := a.name(c, 0, "constraint_name"), a.name(c, 1, "source_table"), a.name(c, 2, "referent_table")
	local, remote := c.arg(3), c.arg(4)
	if local == nil {
		local = c.opt("local_cols")
	}
	if remote == nil {
		remote = c.opt("remote_cols")
	}
	if !a.require(c, src, ref) || len(local.words()) == 0 || len(remote.words()) == 0 {
		if src != "" && ref != "" {
			a.t.unknown(c, "`op.create_foreign_key` without its columns")
		}
		return
	}
	a.addConstraint(c, src, name, func(b *sqlb) {
		b.w("FOREIGN KEY(", qis(local.words()), ") REFERENCES ", qi(ref), " (", qis(remote.words()), ")")
		a.fkActions(b, c)
	})
}

func (a *alembic) createUnique(c *node) {
	name, table := a.name(c, 0, "constraint_name"), a.name(c, 1, "table_name")
	cols := c.arg(2)
	if cols == nil {
		cols = c.opt("columns")
	}
	if !a.require(c, table) || len(cols.words()) == 0 {
		return
	}
	a.addConstraint(c, table, name, func(b *sqlb) { b.w("UNIQUE (", qis(cols.words()), ")") })
}

func (a *alembic) createCheck(c *node) {
	name, table := a.name(c, 0, "constraint_name"), a.name(c, 1, "table_name")
	cond := c.arg(2)
	if cond == nil {
		cond = c.opt("condition")
	}
	s := a.sqlArg(cond)
	if !a.require(c, table) || s == nil {
		if table != "" {
			a.t.unknown(c, "`op.create_check_constraint` with a SQLAlchemy expression")
		}
		return
	}
	a.addConstraint(c, table, name, func(b *sqlb) {
		b.w("CHECK (").raw(s).w(")")
		if e, ok := c.optEntry("postgresql_not_valid"); ok && e.val.truthy() {
			b.fromSpan(e.start, e.end, " NOT VALID")
		}
	})
}

func (a *alembic) createPrimaryKey(c *node) {
	name, table := a.name(c, 0, "constraint_name"), a.name(c, 1, "table_name")
	cols := c.arg(2)
	if !a.require(c, table) || len(cols.words()) == 0 {
		return
	}
	a.addConstraint(c, table, name, func(b *sqlb) { b.w("PRIMARY KEY (", qis(cols.words()), ")") })
}

// addConstraint emits ALTER TABLE t ADD [CONSTRAINT name] <body>.
func (a *alembic) addConstraint(c *node, table, name string, body func(b *sqlb)) {
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ADD ")
	if name != "" {
		b.w("CONSTRAINT ", qi(name), " ")
	}
	body(&b)
	a.add(c, &b)
}

func (a *alembic) dropConstraint(c *node) {
	name, table := a.name(c, 0, "constraint_name"), a.name(c, 1, "table_name")
	if !a.require(c, name, table) {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " DROP CONSTRAINT ", qi(name))
	a.add(c, &b)
}

func (a *alembic) renameTable(c *node) {
	from, to := a.name(c, 0, "old_table_name"), a.name(c, 1, "new_table_name")
	if !a.require(c, from, to) {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(from), " RENAME TO ").from(c.arg(1), qi(to))
	a.add(c, &b)
}

func (a *alembic) dropTable(c *node) {
	table := a.name(c, 0, "table_name")
	if !a.require(c, table) {
		return
	}
	var b sqlb
	b.w("DROP TABLE ", qi(table))
	a.add(c, &b)
}

// createTable emits CREATE TABLE with SQLAlchemy's layout: columns, then the primary
// key, then the other constraints; indexes of index=True columns follow.
func (a *alembic) createTable(c *node) {
	table := a.name(c, 0, "table_name")
	if !a.require(c, table) {
		return
	}
	var b sqlb
	b.w("CREATE TABLE ", qi(table), " (")
	var pk []string
	var cols []saColumn
	var constraints []*node
	for _, arg := range c.args[1:] {
		if col, ok := a.column(arg); ok {
			cols = append(cols, col)
			if col.pk {
				pk = append(pk, col.name)
			}
			continue
		}
		if arg.kind == kCall && strings.HasSuffix(arg.name, "Constraint") {
			constraints = append(constraints, arg)
			continue
		}
		a.t.unknown(arg, "a create_table argument migsafe cannot read")
	}
	for _, con := range constraints {
		if con.name == "PrimaryKeyConstraint" {
			for _, x := range con.args {
				for i := range cols {
					if cols[i].name == x.word() {
						cols[i].pk, cols[i].nullable = true, false
					}
				}
			}
		}
	}
	// SERIAL applies to a single integer primary key.
	for i, col := range cols {
		if i > 0 {
			b.w(", ")
		}
		inTable := countPK(cols) == 1
		b.mark(col.node.start, col.node.end, func() { a.columnDef(&b, col, inTable) })
		if col.unique {
			b.w(", UNIQUE (", qi(col.name), ")")
		}
	}
	var tail []string
	for _, con := range constraints {
		if con.name == "PrimaryKeyConstraint" {
			pk = con.words()
			if len(pk) == 0 {
				for _, x := range con.args {
					pk = append(pk, x.word())
				}
			}
			if n := con.opt("name").word(); n != "" {
				tail = append([]string{"CONSTRAINT " + qi(n) + " PRIMARY KEY (" + qis(pk) + ")"}, tail...)
				pk = nil
			}
		}
	}
	if len(pk) > 0 {
		b.w(", PRIMARY KEY (", qis(pk), ")")
	}
	for _, t := range tail {
		b.w(", ", t)
	}
	for _, con := range constraints {
		prefix := ""
		if n := con.opt("name").word(); n != "" {
			prefix = "CONSTRAINT " + qi(n) + " "
		}
		switch con.name {
		case "ForeignKeyConstraint":
			local, remote := con.arg(0).words(), con.arg(1).words()
			if len(local) == 0 || len(remote) == 0 {
				continue
			}
			ref, refCols := "", []string{}
			for _, r := range remote {
				if i := strings.LastIndexByte(r, '.'); i >= 0 {
					ref = r[:i]
					refCols = append(refCols, r[i+1:])
				}
			}
			b.w(", ").from(con, prefix+"FOREIGN KEY("+qis(local)+") REFERENCES "+qi(ref)+" ("+qis(refCols)+")")
			a.fkActions(&b, con)
		case "UniqueConstraint":
			var ws []string
			for _, x := range con.args {
				ws = append(ws, x.word())
			}
			b.w(", ").from(con, prefix+"UNIQUE ("+qis(ws)+")")
		case "CheckConstraint":
			if s := a.sqlArg(con.arg(0)); s != nil {
				b.w(", " + prefix + "CHECK (").raw(s).w(")")
			}
		}
	}
	for _, col := range cols {
		for _, fk := range col.fks {
			ref := fk.arg(0).word()
			if i := strings.LastIndexByte(ref, '.'); i >= 0 {
				b.w(", ").from(fk, fmt.Sprintf("FOREIGN KEY(%s) REFERENCES %s (%s)", qi(col.name), qi(ref[:i]), qi(ref[i+1:])))
				a.fkActions(&b, fk)
			}
		}
	}
	b.w(")")
	a.add(c, &b)
	for _, col := range cols {
		if col.index {
			var ix sqlb
			ix.w("CREATE INDEX ", qi("ix_"+table+"_"+col.name), " ON ", qi(table), " (", qi(col.name), ")")
			a.add(c, &ix)
		}
	}
}

func countPK(cols []saColumn) int {
	n := 0
	for _, c := range cols {
		if c.pk {
			n++
		}
	}
	return n
}

func (a *alembic) bulkInsert(c *node) {
	a.t.note(c.start, c.end, "`op.bulk_insert` rows are not translated to SQL (an INSERT into a table: check its size and the transaction it runs in)")
}
