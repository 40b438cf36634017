package orm

import (
	"crypto/sha1"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
)

// The TypeORM front end: classes implementing MigrationInterface whose up and down
// take a QueryRunner. Raw SQL (queryRunner.query) is analysed as SQL; the QueryRunner
// schema methods are translated to the SQL TypeORM's PostgresQueryRunner builds
// (checked against TypeORM's query log in oracle_test.go). TypeORM's migrator runs
// migrations in a transaction unless the migration sets `transaction = false`.

type typeorm struct {
	t    *translation
	cls  *node
	sec  migration.Section
	qr   map[string]bool
	strs map[string]*node
}

func translateTypeORM(t *translation) {
	root, src := parseJS(t.src, strings.HasSuffix(t.path, "ts"))
	t.read(src)
	var cls *node
	walk(root, func(n *node) bool {
		if cls == nil && n.kind == kClass {
			for _, s := range n.body {
				if s.kind == kFunc && s.name == "up" {
					cls = n
				}
			}
		}
		return cls == nil
	})
	if cls == nil {
		t.note(0, 0, "this TypeORM migration defines no class with an up method")
		return
	}
	x := &typeorm{t: t, sec: migration.Up, cls: cls}
	for _, s := range cls.body {
		if s.kind == kAssign && strings.TrimSpace(s.name) == "transaction" && s.arg(0).falsy() {
			t.wraps = false
		}
	}
	if t.wraps {
		t.outside = x.outsideTransaction
	}
	for _, s := range cls.body {
		if s.kind != kFunc || (s.name != "up" && s.name != "down") {
			continue
		}
		x.sec = migration.Up
		if s.name == "down" {
			x.sec = migration.Down
			t.downFound, t.downStart, t.downEnd = true, s.start, s.end
		}
		x.qr, x.strs = jsScope(s)
		jsCalls(s.body, x.qr, x.call)
	}
}

func (x *typeorm) call(c *node) {
	_, links := chainOf(c)
	if len(links) == 0 || links[0].call == nil {
		if len(links) > 0 && links[0].name == "manager" || len(links) > 0 && links[0].name == "connection" {
			x.t.unknown(c, "`"+exprText(x.t, c)+"`")
		}
		return
	}
	m := links[0].call
	switch links[0].name {
	case "query":
		arg := m.arg(0)
		if arg != nil && arg.kind == kName {
			arg = x.strs[arg.name]
		}
		if arg == nil || arg.kind != kStr {
			x.t.unknown(c, "`query` of SQL built at run time")
			return
		}
		o := x.t.addRaw(m, x.sec, arg.str)
		if x.sec == migration.Up {
			o.rewrite = x.rewriter(o, nil)
		}
	case "addColumn":
		x.addColumn(m)
	case "dropColumn":
		table, col := m.arg(0).word(), m.arg(1).word()
		if col == "" {
			col = m.arg(1).opt("name").word()
			if n := m.arg(1).arg(0); col == "" && n != nil {
				col = n.opt("name").word()
			}
		}
		if x.need(m, table, col) {
			var b sqlb
			b.w("ALTER TABLE ", qi(table), " DROP COLUMN ").from(m.arg(1), qi(col))
			x.t.add(m, x.sec, &b)
		}
	case "renameColumn":
		table, from, to := m.arg(0).word(), m.arg(1).word(), m.arg(2).word()
		if x.need(m, table, from, to) {
			var b sqlb
			b.w("ALTER TABLE ", qi(table), " RENAME COLUMN ", qi(from), " TO ").from(m.arg(2), qi(to))
			x.t.add(m, x.sec, &b)
		}
	case "renameTable":
		from, to := m.arg(0).word(), m.arg(1).word()
		if x.need(m, from, to) {
			var b sqlb
			b.w("ALTER TABLE ", qi(from), " RENAME TO ").from(m.arg(1), qi(to))
			x.t.add(m, x.sec, &b)
		}
	case "dropTable":
		table := m.arg(0).word()
		if x.need(m, table) {
			var b sqlb
			b.w("DROP TABLE ")
			if m.arg(1).truthy() {
				b.w("IF EXISTS ")
			}
			b.w(qi(table))
			x.t.add(m, x.sec, &b)
		}
	case "createIndex":
		x.createIndex(m)
	case "dropIndex":
		table, name := m.arg(0).word(), m.arg(1).word()
		if x.need(m, table, name) {
			var b sqlb
			b.w("DROP INDEX ", qi(name))
			x.t.add(m, x.sec, &b)
		}
	case "createForeignKey":
		x.createForeignKey(m)
	case "startTransaction", "commitTransaction", "rollbackTransaction", "release", "hasTable", "hasColumn", "getTable", "clearSqlMemory":
	default:
		x.t.unknown(c, "`queryRunner."+links[0].name+"`")
	}
}

func (x *typeorm) need(c *node, vals ...string) bool {
	for _, v := range vals {
		if v == "" {
			x.t.unknown(c, "`queryRunner."+c.name+"` with names migsafe cannot read")
			return false
		}
	}
	return true
}

// options reads new TableColumn({...}) / new TableIndex({...}) or a plain object.
func options(n *node) *node {
	if n != nil && n.kind == kCall && len(n.args) == 1 && n.args[0].kind == kDict {
		return n.args[0]
	}
	return n
}

// typeormSHA1 is TypeORM's default naming: prefix + sha1(table_cols) cut to n.
func typeormName(prefix, table string, cols []string, extra string, n int) string {
	sorted := append([]string(nil), cols...)
	sort.Strings(sorted)
	key := strings.Replace(table, ".", "_", 1) + "_" + strings.Join(sorted, "_") + extra
	h := sha1.Sum([]byte(key))
	return prefix + hex.EncodeToString(h[:])[:n]
}

func (x *typeorm) addColumn(m *node) {
	table := m.arg(0).word()
	col := options(m.arg(1))
	name := col.opt("name").word()
	if !x.need(m, table, name) {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ADD ").from(col.opt("name"), qi(name)).w(" ")
	typ := col.opt("type").word()
	if l := col.opt("length"); l != nil {
		typ += "(" + strings.Trim(l.word()+l.num(), " ") + ")"
	}
	if col.opt("isArray").truthy() {
		typ += " array"
	}
	b.from(col.opt("type"), typ)
	if e, ok := col.optEntry("isNullable"); !ok || !e.val.truthy() {
		if ok {
			b.fromSpan(e.start, e.end, " NOT NULL")
		} else {
			b.from(m.arg(1), " NOT NULL") // TableColumn is NOT NULL unless isNullable: true
		}
	}
	if e, ok := col.optEntry("default"); ok && e.val.kind != kNull {
		v := e.val.word()
		if e.val.kind == kNum || e.val.kind == kBool {
			v = e.val.raw
		}
		b.fromSpan(e.start, e.end, " DEFAULT "+v)
	}
	x.t.add(m, x.sec, &b)
	if col.opt("isUnique").truthy() {
		var u sqlb
		u.w("ALTER TABLE ", qi(table), " ADD CONSTRAINT ", qi(typeormName("UQ_", table, []string{name}, "", 27)), " UNIQUE (", qi(name), ")")
		x.t.add(m, x.sec, &u)
	}
}

func (x *typeorm) createIndex(m *node) {
	table := m.arg(0).word()
	idx := options(m.arg(1))
	cols := idx.opt("columnNames").words()
	if !x.need(m, table) || len(cols) == 0 {
		return
	}
	where := idx.opt("where").word()
	name := idx.opt("name").word()
	if name == "" {
		name = typeormName("IDX_", table, cols, map[bool]string{true: "_" + where, false: ""}[where != ""], 26)
	}
	var b sqlb
	b.w("CREATE ")
	if idx.opt("isUnique").truthy() {
		b.w("UNIQUE ")
	}
	b.w("INDEX")
	if e, ok := idx.optEntry("isConcurrent"); ok && e.val.truthy() {
		b.fromSpan(e.start, e.end, " CONCURRENTLY")
	}
	b.w(" ", qi(name), " ON ", qi(table), " (", qis(cols), ") ")
	if where != "" {
		b.w("WHERE ", where)
	}
	o := x.t.add(m, x.sec, &b)
	if x.sec == migration.Up {
		o.rewrite = x.rewriter(o, idx)
	}
}

// outsideTransaction sets transaction = false on the migration class.
func (x *typeorm) outsideTransaction() (string, []migration.TextEdit) {
	const title = "Run the migration outside a transaction: transaction = false"
	for _, s := range x.cls.body {
		if s.kind == kAssign && strings.TrimSpace(s.name) == "transaction" {
			return title, []migration.TextEdit{{Start: s.start, End: s.end, NewText: "transaction = false"}}
		}
	}
	at := x.t.lineEndAt(x.cls.start)
	return title, []migration.TextEdit{{Start: at, End: at, NewText: "\n" + x.t.indentAt(x.cls.start) + "    transaction = false\n"}}
}

// rewriter writes the safe forms of a query or createIndex: CONCURRENTLY (or
// isConcurrent: true on the TableIndex) with the migration's transaction off.
func (x *typeorm) rewriter(o *op, index *node) rewriter {
	by := map[migration.Intent]func() (string, []migration.TextEdit){}
	var outside func() (string, []migration.TextEdit)
	if x.t.wraps {
		outside = x.outsideTransaction
		by[migration.OutsideTransaction] = outside
	}
	switch {
	case index != nil && index.kind == kDict:
		by[migration.Concurrently] = combine(func() (string, []migration.TextEdit) {
			e, ok := setOption(index, "isConcurrent", "isConcurrent: true")
			if !ok {
				return "", nil
			}
			return "Build the index with isConcurrent: true and transaction = false", []migration.TextEdit{e}
		}, outside)
	case o.raw:
		by[migration.Concurrently] = combine(x.t.rawConcurrently(o), outside)
	}
	return rewrites(by)
}

func (x *typeorm) createForeignKey(m *node) {
	table := m.arg(0).word()
	fk := options(m.arg(1))
	cols, ref, refCols := fk.opt("columnNames").words(), fk.opt("referencedTableName").word(), fk.opt("referencedColumnNames").words()
	if !x.need(m, table, ref) || len(cols) == 0 || len(refCols) == 0 {
		return
	}
	name := fk.opt("name").word()
	if name == "" {
		name = typeormName("FK_", table, cols, "", 27)
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ADD CONSTRAINT ", qi(name), " FOREIGN KEY (", qis(cols), ") REFERENCES ", qi(ref), "(", qis(refCols), ")")
	onDelete, onUpdate := "NO ACTION", "NO ACTION"
	if v := fk.opt("onDelete").word(); v != "" {
		onDelete = v
	}
	if v := fk.opt("onUpdate").word(); v != "" {
		onUpdate = v
	}
	b.w(" ON DELETE ", onDelete, " ON UPDATE ", onUpdate)
	// deferrable: 'INITIALLY DEFERRED' | 'INITIALLY IMMEDIATE', written after DEFERRABLE.
	if v := fk.opt("deferrable").word(); v != "" {
		b.w(" DEFERRABLE ", v)
	}
	x.t.add(m, x.sec, &b)
}
