package orm

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
)

// The Knex front end: exports.up / exports.down (CommonJS, ESM or TypeScript) building
// schema changes with knex.schema and raw SQL with knex.raw, and the SQL Knex's
// PostgreSQL dialect compiles them to (checked against Knex's own toSQL and query
// events in oracle_test.go). Knex's migrator runs each migration in a transaction
// unless the migration exports config = { transaction: false }.

type knexT struct {
	t     *translation
	sec   migration.Section
	roots map[string]bool
	strs  map[string]*node
}

func translateKnex(t *translation) {
	ex, up := jsMigration(t, "Knex")
	if up == nil {
		return
	}
	cfg := ex["config"]
	if cfg != nil && cfg.opt("transaction").falsy() {
		t.wraps = false
	} else {
		t.outside = knexOutside(t, cfg, up)
	}
	k := &knexT{t: t, sec: migration.Up}
	k.fn(up)
	if down := ex["down"]; down != nil && down.kind == kFunc {
		t.downFound, t.downStart, t.downEnd = true, down.start, down.end
		k.sec = migration.Down
		k.fn(down)
	}
}

func (k *knexT) fn(f *node) {
	k.roots, k.strs = jsScope(f)
	jsCalls(f.body, k.roots, k.chain)
}

// chain translates one knex call chain.
func (k *knexT) chain(c *node) {
	_, links := chainOf(c)
	if len(links) == 0 {
		return
	}
	switch {
	case links[0].name == "schema":
		k.schema(c, links[1:])
	case links[0].name == "raw":
		k.raw(c, links[0].call)
	case links[0].name == "()":
		k.query(c, links)
	case links[0].name == "transaction":
		// knex.transaction(async trx => ...): the callback's parameter is knex too.
		for _, a := range links[0].call.args {
			if a.kind == kFunc {
				if p := firstParam(a); p != "" {
					k.roots[p] = true
				}
				jsCalls(a.body, k.roots, k.chain)
			}
		}
	case links[0].name == "select" || links[0].name == "from":
	default:
		k.t.unknown(c, "`"+exprText(k.t, c)+"`")
	}
}

func (k *knexT) sqlArg(n *node) *node {
	switch {
	case n == nil:
		return nil
	case n.kind == kStr:
		return n
	case n.kind == kName:
		return k.strs[n.name]
	}
	return nil
}

func (k *knexT) raw(c, call *node) {
	s := k.sqlArg(call.arg(0))
	if s == nil {
		k.t.unknown(c, "`raw` of SQL built at run time")
		return
	}
	if b := call.arg(1); b != nil {
		// Bindings replace ? placeholders (:name ones with an object): keep them as
		// parameters.
		s = &node{kind: kStr, start: s.start, end: s.end, str: bindings(s.str, b.kind == kDict)}
	}
	o := k.t.addRaw(call, k.sec, s.str)
	if k.sec == migration.Up {
		var outside func() (string, []migration.TextEdit)
		if k.t.wraps {
			outside = k.t.outside
		}
		o.rewrite = rewrites(map[migration.Intent]func() (string, []migration.TextEdit){
			migration.Concurrently:       combine(k.t.rawConcurrently(o), outside),
			migration.OutsideTransaction: outside,
		})
	}
}

// knexOutside writes config = { transaction: false }: into an existing config
// object, or as a new export above exports.up.
func knexOutside(t *translation, cfg, up *node) func() (string, []migration.TextEdit) {
	return func() (string, []migration.TextEdit) {
		const title = "Run the migration outside a transaction: config = { transaction: false }"
		if cfg != nil && cfg.kind == kDict {
			if e, ok := setOption(cfg, "transaction", "transaction: false"); ok {
				return title, []migration.TextEdit{e}
			}
			return "", nil
		}
		at := t.lineStartAt(up.start)
		decl := "exports.config = { transaction: false }\n\n"
		if strings.Contains(string(t.src), "export ") && !strings.Contains(string(t.src), "exports.") {
			decl = "export const config = { transaction: false }\n\n"
		}
		return title, []migration.TextEdit{{Start: at, End: at, NewText: decl}}
	}
}

// bindings turns the placeholders of SQL run with bound values into PostgreSQL's $n,
// where a value goes: ? for a list of values (Knex's ?? binds an identifier: a
// placeholder name), and
// with named ones (an object of values: Knex's and Sequelize's replacements) :name as
// well, which left in the SQL was a syntax error. A :: cast is not a name. Each
// placeholder maps to its first byte in the file.
func bindings(s *str, named bool) *str {
	var sb strBuilder
	n, names := 0, map[string]int{}
	put := func(k, at int) {
		p := "$" + strconv.Itoa(k)
		for j := range p {
			sb.b.WriteByte(p[j])
			sb.off = append(sb.off, s.off[at])
		}
	}
	for i := 0; i < len(s.text); i++ {
		c := s.text[i]
		switch {
		case c == '?' && i+1 < len(s.text) && s.text[i+1] == '?':
			sb.decoded(placeholder("binding"), s.off[i])
			i++
			continue
		case c == '?':
			n++
			put(n, i)
			continue
		case named && c == ':' && (i == 0 || s.text[i-1] != ':') && i+1 < len(s.text) && identStart(s.text[i+1]):
			j := i + 1
			for j < len(s.text) && (identStart(s.text[j]) || s.text[j] >= '0' && s.text[j] <= '9') {
				j++
			}
			k, seen := names[s.text[i+1:j]]
			if !seen {
				n++
				k, names[s.text[i+1:j]] = n, n
			}
			put(k, i)
			i = j - 1
			continue
		}
		sb.b.WriteByte(c)
		sb.off = append(sb.off, s.off[i])
	}
	out := sb.done()
	out.holes = s.holes
	return out
}

func identStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }

// schema translates knex.schema.<op>(...).<op>(...).
func (k *knexT) schema(c *node, links []link) {
	for _, l := range links {
		if l.call == nil {
			continue
		}
		// Findings on one operation of a chain point at its method, not the whole chain.
		call := l.call
		if call.at > call.start {
			op := *call
			op.start = call.at
			call = &op
		}
		switch l.name {
		case "createTable", "createTableIfNotExists":
			k.createTable(call, l.name == "createTableIfNotExists")
		case "alterTable", "table":
			k.alterTable(call)
		case "dropTable", "dropTableIfExists":
			if name := call.arg(0).word(); name != "" {
				var b sqlb
				b.w("drop table ")
				if l.name == "dropTableIfExists" {
					b.w("if exists ")
				}
				b.from(call.arg(0), qi(name))
				k.t.add(call, k.sec, &b)
			}
		case "renameTable":
			from, to := call.arg(0).word(), call.arg(1).word()
			if from != "" && to != "" {
				var b sqlb
				b.w("alter table ", qi(from), " rename to ").from(call.arg(1), qi(to))
				k.t.add(call, k.sec, &b)
			}
		case "raw":
			k.raw(call, call)
		case "hasTable", "hasColumn", "withSchema":
		default:
			k.t.unknown(call, "`knex.schema."+l.name+"`")
		}
	}
}

// column is one column a table builder defines or alters, with its modifiers.
type knexColumn struct {
	call  *node // the column call (t.string('x'))
	whole *node // the whole chain (t.string('x').notNullable())
	name  string
	typ   string
	mods  map[string]*node // modifier -> its call
	alter bool
}

// knexType is the PostgreSQL type of a column method.
func knexType(method string, c *node) (string, bool) {
	num := func(i int, def string) string {
		if v := c.arg(i).num(); v != "" {
			return v
		}
		return def
	}
	switch method {
	case "increments":
		return "serial primary key", true
	case "bigIncrements":
		return "bigserial primary key", true
	case "integer":
		return "integer", true
	case "bigInteger", "bigint":
		return "bigint", true
	case "smallint", "tinyint":
		return "smallint", true
	case "string":
		return "varchar(" + num(1, "255") + ")", true
	case "text":
		return "text", true
	case "float":
		return "real", true
	case "double":
		return "double precision", true
	case "decimal":
		if c.arg(1) != nil && c.arg(1).kind == kNull {
			return "decimal", true
		}
		return "decimal(" + num(1, "8") + ", " + num(2, "2") + ")", true
	case "boolean":
		return "boolean", true
	case "date":
		return "date", true
	case "datetime", "timestamp":
		opts := c.arg(1)
		if opts.opt("useTz").falsy() || opts.falsy() {
			return "timestamp", true
		}
		return "timestamptz", true
	case "time":
		return "time", true
	case "binary":
		return "bytea", true
	case "json":
		return "json", true
	case "jsonb":
		return "jsonb", true
	case "uuid":
		return "uuid", true
	case "specificType":
		return c.arg(1).word(), c.arg(1).word() != ""
	case "enu", "enum":
		var vals []string
		for _, v := range c.arg(1).items() {
			vals = append(vals, ql(v.word()))
		}
		return fmt.Sprintf("text check (%s in (%s))", qi(c.arg(0).word()), strings.Join(vals, ", ")), true
	}
	return "", false
}

// knexDefault renders defaultTo's value as Knex does (booleans become '0'/'1').
func knexDefault(v *node) string {
	switch {
	case v == nil:
		return "NULL"
	case v.kind == kBool:
		if v.raw == "true" {
			return "'1'"
		}
		return "'0'"
	case v.kind == kNum:
		return "'" + v.raw + "'"
	case v.kind == kCall && (v.name == "raw" || v.name == "fn.now" || v.name == "now"):
		if s := v.arg(0); s != nil && s.kind == kStr {
			return s.str.text
		}
		return "CURRENT_TIMESTAMP"
	}
	if lit, ok := literal(v); ok {
		return lit
	}
	return "dyn_default"
}

// builder reads a table callback: its columns (added or altered) and its table-level
// statements, in the order Knex emits them (columns first).
func (k *knexT) builder(fn *node, table string, create bool) (cols []*knexColumn, stmts []*sqlb, calls []*node) {
	param := firstParam(fn)
	for _, s := range fn.body {
		var chains []*node
		jsCalls([]*node{s}, map[string]bool{param: true}, func(c *node) { chains = append(chains, c) })
		for _, c := range chains {
			_, links := chainOf(c)
			if len(links) == 0 || links[0].call == nil {
				continue
			}
			first := links[0]
			if typ, ok := knexType(first.name, first.call); ok {
				col := &knexColumn{call: first.call, whole: c, name: first.call.arg(0).word(), typ: typ, mods: map[string]*node{}}
				if col.name == "" && (first.name == "increments" || first.name == "bigIncrements") {
					col.name = "id"
				}
				for _, l := range links[1:] {
					if l.call != nil {
						col.mods[l.name] = l.call
					}
				}
				_, col.alter = col.mods["alter"]
				cols = append(cols, col)
				continue
			}
			b, ok := k.tableStatement(table, first, links, create)
			if !ok {
				k.t.unknown(c, "`"+exprText(k.t, c)+"`")
				continue
			}
			stmts = append(stmts, b...)
			for range b {
				calls = append(calls, c)
			}
		}
	}
	return cols, stmts, calls
}

// knexDeferrable is what .deferrable('deferred' | 'immediate') adds to a foreign key
// (and 'not deferrable', which Knex writes as "deferrable initially not deferrable"
// and PostgreSQL refuses, left out).
func knexDeferrable(c *node) string {
	switch v := strings.ToLower(c.arg(0).word()); v {
	case "deferred", "immediate":
		return " deferrable initially " + v
	}
	return ""
}

// knexIndexName is the name Knex gives an index, unique or foreign key constraint it
// is not given one for: <table>_<columns>_<type>, lower-cased (_indexCommand).
func knexIndexName(table string, cols []string, typ string) string {
	table = strings.NewReplacer(".", "_", "-", "_").Replace(table)
	return strings.ToLower(table + "_" + strings.Join(cols, "_") + "_" + typ)
}

// knexPrimaryName is a primary key's name: the one given to .primary(name) or
// .primary({ constraintName }), else <table>_pkey, not lower-cased.
func knexPrimaryName(table string, primary *node) string {
	if n := primary.arg(0).word(); n != "" {
		return n
	}
	if n := primary.arg(0).opt("constraintName").word(); n != "" {
		return n
	}
	return table + "_pkey"
}

// columnSQL is `"name" type [not null] [default x]`.
func (k *knexT) columnSQL(b *sqlb, col *knexColumn) {
	b.from(col.call.arg(0), qi(col.name)).w(" ").from(col.call, col.typ)
	if n := col.mods["notNullable"]; n != nil {
		b.from(n, " not null")
	}
	if d := col.mods["defaultTo"]; d != nil {
		b.from(d, " default "+knexDefault(d.arg(0)))
	}
}

// columnExtras are the statements a column's modifiers add: unique, index, foreign key, comment.
func (k *knexT) columnExtras(table string, col *knexColumn) []*sqlb {
	var out []*sqlb
	if u := col.mods["unique"]; u != nil {
		var b sqlb
		name := knexIndexName(table, []string{col.name}, "unique")
		if n := u.arg(0).word(); n != "" {
			name = n
		}
		b.w("alter table ", qi(table), " add constraint ", qi(name), " ").from(u, "unique ("+qi(col.name)+")")
		out = append(out, &b)
	}
	if ix := col.mods["index"]; ix != nil {
		var b sqlb
		name := knexIndexName(table, []string{col.name}, "index")
		if n := ix.arg(0).word(); n != "" {
			name = n
		}
		b.w("create index ", qi(name), " on ", qi(table), " (", qi(col.name), ")")
		out = append(out, &b)
	}
	if ref := col.mods["references"]; ref != nil {
		target := ref.arg(0).word()
		refTable, refCol := "", target
		if i := strings.LastIndexByte(target, '.'); i >= 0 {
			refTable, refCol = target[:i], target[i+1:]
		}
		if in := col.mods["inTable"]; in != nil {
			refTable = in.arg(0).word()
		}
		name := knexIndexName(table, []string{col.name}, "foreign")
		if n := col.mods["withKeyName"].arg(0).word(); n != "" {
			name = n
		}
		var b sqlb
		b.w("alter table ", qi(table), " add constraint ", qi(name), " ").
			from(ref, "foreign key ("+qi(col.name)+") references "+qi(refTable)+" ("+qi(refCol)+")")
		for _, a := range []string{"onDelete", "onUpdate"} {
			if m := col.mods[a]; m != nil {
				b.from(m, " on "+strings.ToLower(strings.TrimPrefix(a, "on"))+" "+m.arg(0).word())
			}
		}
		if m := col.mods["deferrable"]; m != nil {
			b.from(m, knexDeferrable(m))
		}
		out = append(out, &b)
	}
	if cm := col.mods["comment"]; cm != nil {
		if v, ok := literal(cm.arg(0)); ok {
			var b sqlb
			b.w("comment on column ", qi(table), ".", qi(col.name), " is ", v)
			out = append(out, &b)
		}
	}
	return out
}

// tableStatement translates a table-level call of a builder.
func (k *knexT) tableStatement(table string, first link, links []link, create bool) ([]*sqlb, bool) {
	c := first.call
	cols := func(n *node) []string { return n.words() }
	one := func(parts ...string) []*sqlb {
		var b sqlb
		b.from(c, strings.Join(parts, ""))
		return []*sqlb{&b}
	}
	switch first.name {
	case "dropColumn", "dropColumns":
		var out []*sqlb
		for _, a := range c.args {
			for _, name := range a.words() {
				var b sqlb
				b.w("alter table ", qi(table), " ").from(a, "drop column "+qi(name))
				out = append(out, &b)
			}
		}
		return out, true
	case "renameColumn":
		return one("alter table ", qi(table), " rename ", qi(c.arg(0).word()), " to ", qi(c.arg(1).word())), true
	case "index":
		cs := cols(c.arg(0))
		name := knexIndexName(table, cs, "index")
		if n := c.arg(1).word(); n != "" {
			name = n
		} else if n := c.arg(1).opt("indexName").word(); n != "" {
			name = n
		}
		using := ""
		if t := c.arg(2).word(); t != "" {
			using = " using " + t
		} else if t := c.arg(1).opt("indexType").word(); t != "" {
			using = " using " + t
		}
		return one("create index ", qi(name), " on ", qi(table), using, " (", qis(cs), ")"), true
	case "unique":
		cs := cols(c.arg(0))
		name := knexIndexName(table, cs, "unique")
		if n := c.arg(1).word(); n != "" {
			name = n
		} else if n := c.arg(1).opt("indexName").word(); n != "" {
			name = n
		}
		return one("alter table ", qi(table), " add constraint ", qi(name), " unique (", qis(cs), ")"), true
	case "primary":
		cs := cols(c.arg(0))
		name := table + "_pkey"
		if n := c.arg(1).word(); n != "" {
			name = n
		}
		return one("alter table ", qi(table), " add constraint ", qi(name), " primary key (", qis(cs), ")"), true
	case "foreign":
		cs := cols(c.arg(0))
		name := knexIndexName(table, cs, "foreign")
		if n := c.arg(1).word(); n != "" {
			name = n
		}
		refTable, refCols := "", []string{}
		var actions string
		for _, l := range links[1:] {
			if l.call == nil {
				continue
			}
			switch l.name {
			case "references":
				for _, r := range l.call.arg(0).words() {
					if i := strings.LastIndexByte(r, '.'); i >= 0 {
						refTable = r[:i]
						refCols = append(refCols, r[i+1:])
					} else {
						refCols = append(refCols, r)
					}
				}
			case "inTable":
				refTable = l.call.arg(0).word()
			case "onDelete", "onUpdate":
				actions += " on " + strings.ToLower(strings.TrimPrefix(l.name, "on")) + " " + l.call.arg(0).word()
			case "withKeyName":
				if n := l.call.arg(0).word(); n != "" {
					name = n
				}
			case "deferrable":
				actions += knexDeferrable(l.call)
			}
		}
		return one("alter table ", qi(table), " add constraint ", qi(name), " foreign key (", qis(cs), ") references ", qi(refTable), " (", qis(refCols), ")", actions), true
	case "dropIndex":
		name := c.arg(1).word()
		if name == "" {
			name = knexIndexName(table, cols(c.arg(0)), "index")
		}
		return one("drop index ", qi(name)), true
	case "dropUnique", "dropForeign", "dropPrimary":
		suffix := map[string]string{"dropUnique": "unique", "dropForeign": "foreign"}[first.name]
		name := c.arg(1).word()
		if first.name == "dropPrimary" {
			name = c.arg(0).word()
		}
		if name == "" && first.name == "dropPrimary" {
			name = table + "_pkey"
		} else if name == "" {
			name = knexIndexName(table, cols(c.arg(0)), suffix)
		}
		return one("alter table ", qi(table), " drop constraint ", qi(name)), true
	case "setNullable":
		return one("alter table ", qi(table), " alter column ", qi(c.arg(0).word()), " drop not null"), true
	case "dropNullable":
		return one("alter table ", qi(table), " alter column ", qi(c.arg(0).word()), " set not null"), true
	case "timestamps":
		return nil, true // handled as columns by the caller
	case "charset", "collate", "engine", "comment":
		return nil, true // MySQL table options and comments: no PostgreSQL statement
	case "dropTimestamps":
		return one("alter table ", qi(table), " drop column ", qi("created_at"), ", drop column ", qi("updated_at")), true
	case "check":
		if s := c.arg(0); s != nil && s.kind == kStr {
			var b sqlb
			name := c.arg(2).word()
			b.w("alter table ", qi(table), " add constraint ")
			if name == "" {
				name = table + "_" + "check"
			}
			b.w(qi(name), " check (").raw(s).w(")")
			return []*sqlb{&b}, true
		}
	}
	return nil, false
}

// timestamps expands t.timestamps(useTimestamps, defaultToNow) into its two columns.
func knexTimestamps(fn *node) []*knexColumn {
	var out []*knexColumn
	param := firstParam(fn)
	jsCalls(fn.body, map[string]bool{param: true}, func(c *node) {
		_, links := chainOf(c)
		if len(links) == 0 || links[0].name != "timestamps" || links[0].call == nil {
			return
		}
		call := links[0].call
		// timestamp and datetime both compile to timestamptz on PostgreSQL.
		for _, name := range []string{"created_at", "updated_at"} {
			col := &knexColumn{call: call, whole: c, name: name, typ: "timestamptz", mods: map[string]*node{}}
			if call.arg(1).truthy() {
				col.mods["notNullable"] = call
				now := &node{kind: kCall, name: "now", start: call.start, end: call.end}
				col.mods["defaultTo"] = &node{kind: kCall, name: "defaultTo", start: call.start, end: call.end, args: []*node{now}}
			}
			out = append(out, col)
		}
	})
	return out
}

func (k *knexT) createTable(c *node, ifNotExists bool) {
	table := c.arg(0).word()
	fn := c.arg(1)
	if table == "" || fn == nil || fn.kind != kFunc {
		k.t.unknown(c, "`createTable` without a table name and builder")
		return
	}
	cols, stmts, calls := k.builder(fn, table, true)
	cols = mergeTimestamps(cols, knexTimestamps(fn))
	var b sqlb
	b.w("create table ")
	if ifNotExists {
		b.w("if not exists ")
	}
	b.w(qi(table), " (")
	var extras []*sqlb
	var pk []string
	var pkNode *node
	for i, col := range cols {
		if i > 0 {
			b.w(", ")
		}
		b.mark(col.whole.start, col.whole.end, func() { k.columnSQL(&b, col) })
		extras = append(extras, k.columnExtras(table, col)...)
		if p := col.mods["primary"]; p != nil && !strings.Contains(col.typ, "primary key") {
			pk, pkNode = append(pk, col.name), p
		}
	}
	// A column's .primary() is the table's primary key, a constraint at the end of
	// the column list (increments() is one already: Knex adds nothing for it).
	if len(pk) > 0 {
		b.w(", ").from(pkNode, "constraint "+qi(knexPrimaryName(table, pkNode))+" primary key ("+qis(pk)+")")
	}
	// A table-level t.primary([...]) in createTable is written in the CREATE TABLE too.
	var later []int
	for i := range stmts {
		if _, links := chainOf(calls[i]); len(links) > 0 && links[0].name == "primary" && links[0].call != nil {
			p := links[0].call
			name := table + "_pkey"
			if n := p.arg(1).word(); n != "" {
				name = n
			} else if n := p.arg(1).opt("constraintName").word(); n != "" {
				name = n
			}
			b.w(", ").from(calls[i], "constraint "+qi(name)+" primary key ("+qis(p.arg(0).words())+")")
			continue
		}
		later = append(later, i)
	}
	b.w(")")
	k.t.add(c, k.sec, &b)
	for _, x := range extras {
		k.t.add(c, k.sec, x)
	}
	for _, i := range later {
		k.t.add(calls[i], k.sec, stmts[i])
	}
}

// mergeTimestamps puts the timestamps columns where t.timestamps() was called.
func mergeTimestamps(cols, ts []*knexColumn) []*knexColumn {
	if len(ts) == 0 {
		return cols
	}
	var out []*knexColumn
	placed := false
	for _, c := range cols {
		if !placed && c.call.start > ts[0].call.start {
			out = append(out, ts...)
			placed = true
		}
		out = append(out, c)
	}
	if !placed {
		out = append(out, ts...)
	}
	return out
}

func (k *knexT) alterTable(c *node) {
	table := c.arg(0).word()
	fn := c.arg(1)
	if table == "" || fn == nil || fn.kind != kFunc {
		k.t.unknown(c, "`alterTable` without a table name and builder")
		return
	}
	cols, stmts, calls := k.builder(fn, table, false)
	cols = mergeTimestamps(cols, knexTimestamps(fn))
	// Knex adds every new column in one ALTER TABLE, then alters the others.
	var add sqlb
	added := 0
	for _, col := range cols {
		if col.alter {
			continue
		}
		if added == 0 {
			add.w("alter table ", qi(table), " ")
		} else {
			add.w(", ")
		}
		added++
		add.mark(col.whole.start, col.whole.end, func() {
			add.w("add column ")
			k.columnSQL(&add, col)
		})
	}
	if added > 0 {
		k.t.add(c, k.sec, &add)
	}
	var extras []*sqlb
	var extraCalls []*node
	for _, col := range cols {
		if col.alter {
			k.alterColumn(table, col)
		}
		for _, x := range k.columnExtras(table, col) {
			extras = append(extras, x)
			extraCalls = append(extraCalls, col.whole)
		}
		if p := col.mods["primary"]; p != nil && !col.alter && !strings.Contains(col.typ, "primary key") {
			var b sqlb
			b.w("alter table ", qi(table), " add constraint ", qi(knexPrimaryName(table, p)), " ").from(p, "primary key ("+qi(col.name)+")")
			extras = append(extras, &b)
			extraCalls = append(extraCalls, col.whole)
		}
	}
	for i, s := range stmts {
		k.t.add(calls[i], k.sec, s)
	}
	for i, x := range extras {
		k.t.add(extraCalls[i], k.sec, x)
	}
}

// alterColumn is Knex's .alter(): drop the default and NOT NULL, change the type with
// a cast, then set NOT NULL and the default again as the new definition says.
func (k *knexT) alterColumn(table string, col *knexColumn) {
	emit := func(n *node, text string) {
		var b sqlb
		b.w("alter table ", qi(table), " ").from(n, text)
		k.t.add(col.whole, k.sec, &b)
	}
	alterOpts := col.mods["alter"].arg(0)
	q := qi(col.name)
	if !alterOpts.opt("alterNullable").falsy() {
		emit(nil, "alter column "+q+" drop default")
		emit(nil, "alter column "+q+" drop not null")
	}
	if !alterOpts.opt("alterType").falsy() {
		emit(col.call, "alter column "+q+" type "+col.typ+" using ("+q+"::"+col.typ+")")
	}
	if n := col.mods["notNullable"]; n != nil {
		emit(n, "alter column "+q+" set not null")
	}
	if d := col.mods["defaultTo"]; d != nil {
		emit(d, "alter column "+q+" set default "+knexDefault(d.arg(0)))
	}
}

// query translates knex('table').update(...).where(...) and .del().
func (k *knexT) query(c *node, links []link) {
	table := links[0].call.arg(0).word()
	var verb *link
	var wheres []*node
	for i := range links[1:] {
		l := links[1+i]
		switch l.name {
		case "update", "del", "delete", "insert":
			verb = &links[1+i]
		case "where", "andWhere", "whereIn", "whereNull", "whereNotNull":
			wheres = append(wheres, l.call)
		case "select", "first", "pluck", "count", "then":
			if verb == nil {
				return // a read
			}
		}
	}
	if verb == nil {
		return // a read: knex('users').where(...) selects
	}
	if table == "" {
		k.t.unknown(c, "`"+exprText(k.t, c)+"`")
		return
	}
	// A literal value goes in the SQL as Knex formats it (false, 3, 'it''s'): a $n left
	// in the statement cannot run (trace, runbook). A value known only at run time
	// stays a parameter.
	bind := 0
	param := func(v *node) string {
		if lit, ok := literal(v); ok && v.kind != kSym {
			return lit
		}
		bind++
		return "$" + strconv.Itoa(bind)
	}
	var b sqlb
	switch verb.name {
	case "update":
		b.w("update ", qi(table), " set ")
		set := verb.call.arg(0)
		for i, kv := range set.kw {
			if i > 0 {
				b.w(", ")
			}
			b.fromSpan(kv.start, kv.end, qi(kv.key)+" = "+param(kv.val))
		}
	case "del", "delete":
		b.w("delete from ", qi(table))
	case "insert":
		k.t.note(c.start, c.end, "`insert` rows are not translated to SQL (an INSERT into "+table+")")
		return
	}
	for i, w := range wheres {
		b.w(map[bool]string{true: " and ", false: " where "}[i > 0])
		switch {
		case w.name == "whereNull" || w.name == "whereNotNull":
			op := " is null"
			if w.name == "whereNotNull" {
				op = " is not null"
			}
			b.from(w, qi(w.arg(0).word())+op)
		case w.arg(0) != nil && w.arg(0).kind == kDict:
			for j, kv := range w.arg(0).kw {
				if j > 0 {
					b.w(" and ")
				}
				if kv.val != nil && kv.val.kind == kNull {
					b.fromSpan(kv.start, kv.end, qi(kv.key)+" is null") // as Knex writes it
					continue
				}
				b.fromSpan(kv.start, kv.end, qi(kv.key)+" = "+param(kv.val))
			}
		case len(w.args) == 3:
			b.from(w, qi(w.arg(0).word())+" "+w.arg(1).word()+" "+param(w.arg(2)))
		case len(w.args) == 2 && w.name == "whereIn":
			var vals []string
			if l := w.arg(1); l.kind == kList {
				for _, v := range l.args {
					vals = append(vals, param(v))
				}
			} else {
				vals = append(vals, param(l))
			}
			b.from(w, qi(w.arg(0).word())+" in ("+strings.Join(vals, ", ")+")")
		case len(w.args) == 2:
			b.from(w, qi(w.arg(0).word())+" = "+param(w.arg(1)))
		default:
			k.t.unknown(w, "a where clause migsafe cannot read")
			return
		}
	}
	k.t.add(c, k.sec, &b)
}
