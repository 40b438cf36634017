package orm

import (
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
)

// The Sequelize front end: migrations exporting up(queryInterface, Sequelize) and down,
// as sequelize-cli (umzug) runs them: without a transaction unless the migration opens
// one itself. queryInterface methods are translated to the SQL Sequelize's postgres
// query generator builds (checked against Sequelize's query log in oracle_test.go);
// queryInterface.sequelize.query is analysed as SQL.

type sequelizeT struct {
	t    *translation
	sec  migration.Section
	qi   map[string]bool
	strs map[string]*node
}

func translateSequelize(t *translation) {
	ex, up := jsMigration(t, "Sequelize")
	if up == nil {
		return
	}
	t.wraps = false
	s := &sequelizeT{t: t}
	s.fn(up, migration.Up)
	if down := ex["down"]; down != nil && down.kind == kFunc {
		t.downFound, t.downStart, t.downEnd = true, down.start, down.end
		s.fn(down, migration.Down)
	}
}

func (s *sequelizeT) fn(f *node, sec migration.Section) {
	s.sec = sec
	s.qi, s.strs = jsScope(f)
	jsCalls(f.body, s.qi, s.call)
}

func (s *sequelizeT) call(c *node) {
	_, links := chainOf(c)
	if len(links) == 0 {
		return
	}
	if links[0].name == "sequelize" && len(links) > 1 && links[1].name == "query" && links[1].call != nil {
		arg := links[1].call.arg(0)
		if arg != nil && arg.kind == kName {
			arg = s.strs[arg.name]
		}
		if arg == nil || arg.kind != kStr {
			s.t.unknown(c, "`sequelize.query` of SQL built at run time")
			return
		}
		text := arg.str
		if r := links[1].call.arg(1).opt("replacements"); r != nil {
			// Sequelize puts the replacements in: ? for a list, :name for an object.
			text = bindings(text, r.kind == kDict)
		}
		o := s.t.addRaw(links[1].call, s.sec, text)
		if s.sec == migration.Up {
			o.rewrite = rewrites(map[migration.Intent]func() (string, []migration.TextEdit){migration.Concurrently: s.t.rawConcurrently(o)})
		}
		return
	}
	if links[0].name == "sequelize" && len(links) > 1 && links[1].name == "transaction" {
		s.t.unknown(c, "`sequelize.transaction` (the statements inside are not translated)")
		return
	}
	m := links[0].call
	if m == nil {
		s.t.unknown(c, "`"+exprText(s.t, c)+"`")
		return
	}
	if h, ok := sequelizeOps[links[0].name]; ok {
		h(s, m)
		return
	}
	s.t.unknown(c, "`queryInterface."+links[0].name+"`")
}

var sequelizeOps map[string]func(s *sequelizeT, c *node)

func init() {
	sequelizeOps = map[string]func(s *sequelizeT, c *node){
		"addColumn":        (*sequelizeT).addColumn,
		"removeColumn":     (*sequelizeT).removeColumn,
		"changeColumn":     (*sequelizeT).changeColumn,
		"renameColumn":     (*sequelizeT).renameColumn,
		"addIndex":         (*sequelizeT).addIndex,
		"removeIndex":      (*sequelizeT).removeIndex,
		"addConstraint":    (*sequelizeT).addConstraint,
		"removeConstraint": (*sequelizeT).removeConstraint,
		"dropTable":        (*sequelizeT).dropTable,
		"renameTable":      (*sequelizeT).renameTable,
	}
}

// seqType renders Sequelize.STRING, DataTypes.INTEGER, Sequelize.STRING(50) ...
func seqType(n *node) string {
	if n == nil {
		return ""
	}
	name := n.name
	var args []*node
	if n.kind == kCall {
		args = n.args
	}
	switch name {
	case "STRING":
		l := "255"
		if len(args) > 0 && args[0].num() != "" {
			l = args[0].num()
		}
		return "VARCHAR(" + l + ")"
	case "TEXT":
		return "TEXT"
	case "INTEGER":
		return "INTEGER"
	case "BIGINT":
		return "BIGINT"
	case "SMALLINT":
		return "SMALLINT"
	case "BOOLEAN":
		return "BOOLEAN"
	case "DATE":
		return "TIMESTAMP WITH TIME ZONE"
	case "DATEONLY":
		return "DATE"
	case "FLOAT":
		return "FLOAT"
	case "DOUBLE":
		return "DOUBLE PRECISION"
	case "DECIMAL":
		if len(args) == 2 {
			return "DECIMAL(" + args[0].num() + "," + args[1].num() + ")"
		}
		return "DECIMAL"
	case "UUID":
		return "UUID"
	case "JSON":
		return "JSON"
	case "JSONB":
		return "JSONB"
	}
	return strings.ToUpper(name)
}

// attribute reads a column definition: a data type, or { type, allowNull, defaultValue }.
func (s *sequelizeT) attribute(b *sqlb, n *node, changing bool) {
	def := n
	if n != nil && n.kind != kDict {
		def = &node{kind: kDict, kw: []kwarg{{key: "type", val: n, start: n.start, end: n.end}}}
	}
	b.from(def.opt("type"), seqType(def.opt("type")))
	if e, ok := def.optEntry("allowNull"); ok && e.val.falsy() {
		b.fromSpan(e.start, e.end, " NOT NULL")
	}
	if e, ok := def.optEntry("defaultValue"); ok {
		if v, ok := literal(e.val); ok {
			b.fromSpan(e.start, e.end, " DEFAULT "+v)
		}
	}
	// references: { model, key } is an inline foreign key (attributeToSQL), which
	// checks the rows and locks the referenced table.
	if e, ok := def.optEntry("references"); ok && !changing {
		model := e.val.opt("model").word()
		if model == "" {
			model = e.val.opt("model").opt("tableName").word()
		}
		key := e.val.opt("key").word()
		if key == "" {
			key = "id"
		}
		if model != "" {
			b.fromSpan(e.start, e.end, " REFERENCES "+qi(model)+" ("+qi(key)+")")
			for _, a := range []string{"onDelete", "onUpdate"} {
				if x, ok := def.optEntry(a); ok {
					b.fromSpan(x.start, x.end, " ON "+strings.ToUpper(strings.TrimPrefix(a, "on"))+" "+strings.ToUpper(x.val.word()))
				}
			}
		}
	}
}

func (s *sequelizeT) table(c *node) string { return c.arg(0).word() }

func (s *sequelizeT) need(c *node, vals ...string) bool {
	for _, v := range vals {
		if v == "" {
			s.t.unknown(c, "`queryInterface."+c.name+"` with names migsafe cannot read")
			return false
		}
	}
	return true
}

func (s *sequelizeT) addColumn(c *node) {
	table, col := s.table(c), c.arg(1).word()
	if !s.need(c, table, col) {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi("public"), ".", qi(table), " ADD COLUMN ").from(c.arg(1), qi(col)).w(" ")
	s.attribute(&b, c.arg(2), false)
	b.w(";")
	s.t.add(c, s.sec, &b)
}

func (s *sequelizeT) removeColumn(c *node) {
	table, col := s.table(c), c.arg(1).word()
	if !s.need(c, table, col) {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi("public"), ".", qi(table), " DROP COLUMN ").from(c.arg(1), qi(col)).w(";")
	s.t.add(c, s.sec, &b)
}

// changeColumn sends one query of several ALTER TABLE statements: nullability, the
// default, then the type.
func (s *sequelizeT) changeColumn(c *node) {
	table, col := s.table(c), c.arg(1).word()
	if !s.need(c, table, col) {
		return
	}
	def := c.arg(2)
	if def != nil && def.kind != kDict {
		def = &node{kind: kDict, kw: []kwarg{{key: "type", val: def, start: def.start, end: def.end}}}
	}
	var b sqlb
	prefix := "ALTER TABLE " + qi(table) + " ALTER COLUMN " + qi(col) + " "
	if e, ok := def.optEntry("allowNull"); ok && e.val.falsy() {
		b.fromSpan(e.start, e.end, prefix+"SET NOT NULL;")
	} else {
		b.w(prefix, "DROP NOT NULL;")
	}
	if e, ok := def.optEntry("defaultValue"); ok {
		if v, ok := literal(e.val); ok {
			b.fromSpan(e.start, e.end, prefix+"SET DEFAULT "+v+";")
		}
	} else {
		b.w(prefix, "DROP DEFAULT;")
	}
	if t := def.opt("type"); t != nil {
		b.from(t, prefix+"TYPE "+seqType(t)+";")
	}
	o := s.t.add(c, s.sec, &b)
	o.oneQuery = true
}

func (s *sequelizeT) renameColumn(c *node) {
	table, from, to := s.table(c), c.arg(1).word(), c.arg(2).word()
	if !s.need(c, table, from, to) {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " RENAME COLUMN ", qi(from), " TO ").from(c.arg(2), qi(to)).w(";")
	s.t.add(c, s.sec, &b)
}

// addIndex(table, fields, options) or addIndex(table, options).
func (s *sequelizeT) addIndex(c *node) {
	table := s.table(c)
	opts := c.arg(2)
	fields := c.arg(1)
	if fields != nil && fields.kind == kDict {
		opts, fields = fields, fields.opt("fields")
	}
	cols := fields.words()
	if !s.need(c, table) || len(cols) == 0 {
		return
	}
	name := opts.opt("name").word()
	if name == "" {
		name = table + "_" + strings.Join(cols, "_")
	}
	var b sqlb
	b.w("CREATE ")
	if opts.opt("unique").truthy() {
		b.w("UNIQUE ")
	}
	b.w("INDEX ")
	if e, ok := opts.optEntry("concurrently"); ok && e.val.truthy() {
		b.fromSpan(e.start, e.end, "CONCURRENTLY ")
	}
	b.w(qi(name), " ON ", qi(table), " (", qis(cols), ")")
	if w := opts.opt("where"); w != nil && w.kind == kDict {
		var conds []string
		for _, k := range w.kw {
			if v, ok := literal(k.val); ok {
				if k.val.kind == kNull {
					conds = append(conds, qi(k.key)+" IS NULL")
				} else {
					conds = append(conds, qi(k.key)+" = "+v)
				}
			}
		}
		if len(conds) > 0 {
			b.w(" WHERE ", strings.Join(conds, " AND "))
		}
	}
	o := s.t.add(c, s.sec, &b)
	if s.sec == migration.Up {
		o.rewrite = rewrites(map[migration.Intent]func() (string, []migration.TextEdit){migration.Concurrently: func() (string, []migration.TextEdit) {
			const title = "Build the index with concurrently: true (sequelize-cli runs it outside a transaction)"
			if opts != nil && opts.kind == kDict {
				if e, ok := setOption(opts, "concurrently", "concurrently: true"); ok {
					return title, []migration.TextEdit{e}
				}
				return "", nil
			}
			at := argsEnd(c)
			return title, []migration.TextEdit{{Start: at, End: at, NewText: ", { concurrently: true }"}}
		}})
	}
}

func (s *sequelizeT) removeIndex(c *node) {
	table := s.table(c)
	name := c.arg(1).word()
	if name == "" {
		if cols := c.arg(1).words(); len(cols) > 0 {
			name = table + "_" + strings.Join(cols, "_")
		}
	}
	if !s.need(c, table, name) {
		return
	}
	var b sqlb
	b.w("DROP INDEX ")
	if e, ok := c.arg(2).optEntry("concurrently"); ok && e.val.truthy() {
		b.fromSpan(e.start, e.end, "CONCURRENTLY ")
	}
	b.w("IF EXISTS ", qi(name))
	s.t.add(c, s.sec, &b)
}

func (s *sequelizeT) addConstraint(c *node) {
	table := s.table(c)
	opts := c.arg(1)
	cols := opts.opt("fields").words()
	kind := strings.ToLower(opts.opt("type").word())
	if !s.need(c, table, kind) || len(cols) == 0 && kind != "check" {
		return
	}
	suffix := map[string]string{"unique": "_uk", "check": "_ck", "primary key": "_pk", "foreign key": "_fk"}[kind]
	name := opts.opt("name").word()
	if name == "" {
		name = table + "_" + strings.Join(cols, "_") + suffix
		if kind == "foreign key" {
			name = table + "_" + strings.Join(cols, "_") + "_" + opts.opt("references").opt("table").word() + "_fk"
		}
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ADD CONSTRAINT ", qi(name), " ")
	switch kind {
	case "unique":
		b.from(opts.opt("type"), "UNIQUE ("+qis(cols)+")")
	case "primary key":
		b.from(opts.opt("type"), "PRIMARY KEY ("+qis(cols)+")")
	case "foreign key":
		ref := opts.opt("references")
		b.from(opts.opt("type"), "FOREIGN KEY ("+qis(cols)+") REFERENCES "+qi(ref.opt("table").word())+" ("+qi(ref.opt("field").word())+")")
		for _, a := range []string{"onDelete", "onUpdate"} {
			if e, ok := opts.optEntry(a); ok {
				b.fromSpan(e.start, e.end, " ON "+strings.ToUpper(strings.TrimPrefix(a, "on"))+" "+strings.ToUpper(e.val.word()))
			}
		}
	case "check":
		s.t.unknown(c, "a check constraint built from a Sequelize where object")
		return
	default:
		s.t.unknown(c, "a constraint of type "+kind)
		return
	}
	b.w(";")
	s.t.add(c, s.sec, &b)
}

func (s *sequelizeT) removeConstraint(c *node) {
	table, name := s.table(c), c.arg(1).word()
	if !s.need(c, table, name) {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " DROP CONSTRAINT ", qi(name), ";")
	s.t.add(c, s.sec, &b)
}

func (s *sequelizeT) dropTable(c *node) {
	table := s.table(c)
	if !s.need(c, table) {
		return
	}
	var b sqlb
	b.w("DROP TABLE IF EXISTS ", qi(table), ";")
	s.t.add(c, s.sec, &b)
}

func (s *sequelizeT) renameTable(c *node) {
	from, to := s.table(c), c.arg(1).word()
	if !s.need(c, from, to) {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(from), " RENAME TO ").from(c.arg(1), qi(to)).w(";")
	s.t.add(c, s.sec, &b)
}
