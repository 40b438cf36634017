package orm

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
)

// The Rails front end: ActiveRecord migrations (ActiveRecord::Migration[x.y]) and the
// SQL ActiveRecord's PostgreSQL adapter sends for them, checked against ActiveRecord
// 6.1 itself (oracle_test.go). Each migration runs in one transaction unless the class
// calls disable_ddl_transaction!; `change` is reversed by inverting its operations,
// and the ones ActiveRecord cannot invert make the rollback fail.

type rails struct {
	t       *translation
	cls     *node             // the migration class
	version float64           // the [x.y] of the superclass; 0 for unversioned (Rails < 5)
	strs    map[string]*node  // local variables assigned a SQL string
	models  map[string]string // model classes defined in the migration -> their table
}

func translateRails(t *translation) {
	root, src := parseRuby(t.src)
	t.read(src)
	var cls *node
	walk(root, func(n *node) bool {
		if cls == nil && n.kind == kClass && strings.Contains(n.super, "Migration") {
			cls = n
			return false
		}
		return cls == nil
	})
	if cls == nil {
		t.note(0, 0, "this file defines no ActiveRecord::Migration class")
		return
	}
	r := &rails{t: t, cls: cls, version: railsVersion(cls.super), strs: map[string]*node{}, models: map[string]string{}}
	t.outside = r.outsideTransaction
	var change, up, down *node
	for _, st := range cls.body {
		switch {
		case st.kind == kCall && st.name == "disable_ddl_transaction!":
			t.wraps = false
		case st.kind == kFunc && st.name == "change":
			change = st
		case st.kind == kFunc && st.name == "up":
			up = st
		case st.kind == kFunc && st.name == "down":
			down = st
		case st.kind == kClass:
			r.model(st)
		}
	}
	if !t.wraps {
		t.outside = nil
	}
	switch {
	case change != nil:
		t.downFound, t.downStart, t.downEnd = true, change.start, change.end
		first := len(t.ops)
		r.body(change.body, migration.Up, true)
		reverseDown(t.ops[first:])
	case up != nil:
		r.body(up.body, migration.Up, false)
	}
	if down != nil {
		t.downFound, t.downStart, t.downEnd = true, down.start, down.end
		r.body(down.body, migration.Down, false)
	}
}

// reverseDown puts the down operations of ops in reverse order of their calls (each
// call's own statements keep their order), as ActiveRecord runs the inverse of
// `change` and Django unapplies operations: last to first.
func reverseDown(ops []*op) {
	var idx []int
	var first []*op
	var groups [][]*op
	for i, o := range ops {
		if o.section != migration.Down {
			continue
		}
		idx = append(idx, i)
		if o.downFirst {
			first = append(first, o)
			continue
		}
		if n := len(groups); n > 0 && groups[n-1][0].start == o.start && groups[n-1][0].end == o.end {
			groups[n-1] = append(groups[n-1], o)
		} else {
			groups = append(groups, []*op{o})
		}
	}
	k := 0
	for _, o := range first {
		ops[idx[k]] = o
		k++
	}
	for g := len(groups) - 1; g >= 0; g-- {
		for _, o := range groups[g] {
			ops[idx[k]] = o
			k++
		}
	}
}

// railsVersion reads the [x.y] of ActiveRecord::Migration[x.y].
func railsVersion(super string) float64 {
	if i := strings.IndexByte(super, '['); i >= 0 {
		if v, err := strconv.ParseFloat(strings.Trim(super[i:], "[] "), 64); err == nil {
			return v
		}
	}
	return 0
}

// model records a model class defined inside the migration and its table.
func (r *rails) model(cls *node) {
	table := tableize(cls.name)
	for _, st := range cls.body {
		if st.kind == kAssign && st.name == "self.table_name" {
			if w := st.args[0].word(); w != "" {
				table = w
			}
		}
	}
	r.models[cls.name] = table
}

func (r *rails) body(stmts []*node, sec migration.Section, rev bool) {
	for _, s := range stmts {
		r.stmt(s, sec, rev)
	}
}

func (r *rails) stmt(s *node, sec migration.Section, rev bool) {
	switch s.kind {
	case kAssign:
		if v := r.sqlString(s.args[0]); v != nil {
			r.strs[s.name] = v
			return
		}
		r.stmt(s.args[0], sec, rev)
	case kCall:
		r.call(s, sec, rev)
	case kFunc, kClass, kStr, kSym, kNum, kBool, kNull, kName, kAttr:
	default:
		r.body(s.body, sec, rev)
	}
}

// connectionRecv reports a receiver that is the migration's own connection.
func connectionRecv(n *node) bool {
	if n == nil {
		return true
	}
	switch n.path() {
	case "self", "connection", "ActiveRecord::Base.connection", "ApplicationRecord.connection":
		return true
	}
	return strings.HasSuffix(n.path(), ".connection")
}

// railsIgnored are calls with no SQL of their own.
var railsIgnored = map[string]bool{
	"say": true, "puts": true, "p": true, "print": true, "require": true, "require_relative": true,
	"reset_column_information": true, "sleep": true, "verbose": true, "announce": true, "write": true,
}

// railsBlocks run their block as part of the migration.
var railsBlocks = map[string]bool{
	"say_with_time": true, "suppress_messages": true, "transaction": true, "with_advisory_lock": true,
	"safety_assured": true, // strong_migrations: the author vouches; migsafe still checks
	"each":           true, "each_with_index": true, "each_slice": true, "times": true, "loop": true, "map": true,
}

func (r *rails) call(c *node, sec migration.Section, rev bool) {
	if !connectionRecv(c.recv) {
		r.receiverCall(c, sec, rev)
		return
	}
	if h, ok := railsOps[c.name]; ok {
		h(r, c, sec, rev)
		return
	}
	switch {
	case railsIgnored[c.name]:
	case c.name == "raise" && strings.Contains(exprText(r.t, c), "IrreversibleMigration"):
		if sec == migration.Down {
			r.t.irreversible = append(r.t.irreversible, migration.Irreversible{Start: c.start, End: c.end,
				Reason: "the down method raises ActiveRecord::IrreversibleMigration: this migration cannot be rolled back",
				Help:   "Write a down method that undoes the migration, if it can be undone."})
		}
	case c.name == "reversible" && c.block != nil:
		r.reversible(c.block, sec)
	case c.name == "up_only" && c.block != nil:
		if sec == migration.Up {
			r.body(c.block.body, sec, false)
		}
	case railsBlocks[c.name] && c.block != nil:
		r.body(c.block.body, sec, rev)
	default:
		r.t.unknown(c, "`"+c.name+"`")
	}
}

// reversible handles reversible do |dir| dir.up { ... }; dir.down { ... } end.
func (r *rails) reversible(block *node, sec migration.Section) {
	param := ""
	if len(block.params) > 0 {
		param = block.params[0]
	}
	for _, s := range block.body {
		if s.kind == kCall && s.recv != nil && s.recv.path() == param && s.block != nil {
			switch s.name {
			case "up":
				r.body(s.block.body, migration.Up, false)
				continue
			case "down":
				r.body(s.block.body, migration.Down, false)
				continue
			}
		}
		r.stmt(s, sec, false)
	}
}

// receiverCall handles calls on something other than the connection: model data
// changes (User.update_all) and loops over literals.
func (r *rails) receiverCall(c *node, sec migration.Section, rev bool) {
	if c.name == "reset_column_information" || railsIgnored[c.name] {
		return
	}
	if model, table, chain, ok := r.modelChain(c); ok {
		r.dataChange(c, model, table, chain, sec)
		return
	}
	if railsBlocks[c.name] && c.block != nil {
		r.body(c.block.body, sec, rev)
		return
	}
	r.t.unknown(c, "`"+exprText(r.t, c)+"`")
}

// modelChain recognises Model.where(...).update_all(...): the model, its table and the
// calls from the model outwards.
func (r *rails) modelChain(c *node) (model, table string, chain []*node, ok bool) {
	for n := c; n != nil; n = n.recv {
		if n.kind == kName {
			if t, known := r.models[n.name]; known {
				model, table = n.name, t
			} else if n.name != "" && n.name[0] >= 'A' && n.name[0] <= 'Z' && !strings.Contains(n.name, "::") {
				model, table = n.name, tableize(n.name)
			} else {
				return "", "", nil, false
			}
			for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
				chain[i], chain[j] = chain[j], chain[i]
			}
			return model, table, chain, true
		}
		if n.kind != kCall {
			return "", "", nil, false
		}
		chain = append(chain, n)
	}
	return "", "", nil, false
}

// dataChange translates update_all / delete_all on a model relation; per-record Ruby
// code is noted as not analysed.
func (r *rails) dataChange(c *node, model, table string, chain []*node, sec migration.Section) {
	var where []*node
	batched := false
	for _, n := range chain {
		switch n.name {
		case "where":
			where = append(where, n)
		case "in_batches", "find_in_batches":
			batched = true
			if n.block != nil {
				param := ""
				if len(n.block.params) > 0 {
					param = n.block.params[0]
				}
				for _, s := range n.block.body {
					if s.kind == kCall && s.recv != nil && s.recv.path() == param && (s.name == "update_all" || s.name == "delete_all") {
						r.modelWrite(s, table, where, true, sec)
					} else {
						r.stmt(s, sec, false)
					}
				}
				return
			}
		case "update_all", "delete_all":
			r.modelWrite(n, table, where, batched, sec)
			return
		case "find_each", "each", "find_in_batches_each":
			r.t.note(c.start, c.end, fmt.Sprintf("Ruby code run for each %s record (%s): its writes are not translated to SQL; batch it with in_batches and update_all to have it checked", model, n.name))
			return
		}
	}
	r.t.unknown(c, "`"+exprText(r.t, c)+"`")
}

// modelWrite emits the UPDATE or DELETE of update_all / delete_all as ActiveRecord
// sends it: hash values as bind parameters, hash conditions qualified with the table,
// string conditions in parentheses. A batched relation first selects a batch of ids
// (LIMIT of the batch size) and then writes only those rows.
func (r *rails) modelWrite(n *node, table string, where []*node, batched bool, sec migration.Section) {
	bind := 0
	param := func() string { bind++; return "$" + strconv.Itoa(bind) }
	value := func(v *node) string {
		if v.kind == kStr && !v.str.dynamic() || v.kind == kNum || v.kind == kSym || v.kind == kBool || v.kind == kName || v.kind == kCall {
			return param()
		}
		lit, _ := literal(v)
		return lit
	}
	conds := func(b *sqlb) int {
		n := 0
		for _, w := range where {
			for _, a := range w.args {
				if a.kind == kStr {
					b.w(map[bool]string{true: " AND ", false: " WHERE "}[n > 0], "(").raw(a).w(")")
					n++
				}
			}
			for _, k := range w.kw {
				b.w(map[bool]string{true: " AND ", false: " WHERE "}[n > 0])
				col := qi(table) + "." + qi(k.key)
				if k.val.kind == kNull {
					b.fromSpan(k.start, k.end, col+" IS NULL")
				} else {
					b.fromSpan(k.start, k.end, col+" = "+value(k.val))
				}
				n++
			}
		}
		return n
	}
	if batched {
		var sel sqlb
		sel.w("SELECT ", qi(table), ".", qi("id"), " FROM ", qi(table))
		conds(&sel)
		sel.w(" ORDER BY ", qi(table), ".", qi("id"), " ASC LIMIT ", param())
		r.add(n, sec, &sel)
		bind = 0
	}
	var b sqlb
	if n.name == "update_all" {
		b.w("UPDATE ", qi(table), " SET ")
		set := n.arg(0)
		switch {
		case set != nil && set.kind == kStr:
			b.raw(set)
		case len(n.kw) > 0 || set != nil && set.kind == kDict:
			kws := n.kw
			if set != nil && set.kind == kDict {
				kws = set.kw
			}
			for i, k := range kws {
				if i > 0 {
					b.w(", ")
				}
				b.fromSpan(k.start, k.end, qi(k.key)+" = "+value(k.val))
			}
		default:
			r.t.unknown(n, "`update_all` with computed values")
			return
		}
	} else {
		b.w("DELETE FROM ", qi(table))
	}
	nconds := conds(&b)
	if batched {
		b.w(map[bool]string{true: " AND ", false: " WHERE "}[nconds > 0], qi(table), ".", qi("id"), " IN (", param(), ", ", param(), ")")
	}
	r.add(n, sec, &b)
}

// sqlString resolves an expression to SQL text: a string literal (heredocs included,
// with .squish and friends), or a local variable holding one.
func (r *rails) sqlString(n *node) *node {
	for n != nil && n.kind == kCall && len(n.args) == 0 && n.recv != nil {
		switch n.name {
		case "squish", "strip", "freeze", "dup", "chomp", "strip_heredoc", "to_s":
			n = n.recv
			continue
		}
		break
	}
	switch {
	case n == nil:
		return nil
	case n.kind == kStr:
		if n.name == "squish" {
			return n
		}
		return n
	case (n.kind == kName || n.kind == kCall && n.recv == nil && len(n.args) == 0) && r.strs[n.name] != nil:
		return r.strs[n.name]
	}
	return nil
}

// railsOps translate the schema statements of ActiveRecord::ConnectionAdapters.
var railsOps map[string]func(r *rails, c *node, sec migration.Section, rev bool)

func init() {
	railsOps = map[string]func(r *rails, c *node, sec migration.Section, rev bool){
		"execute": (*rails).execute, "exec_query": (*rails).execute, "exec_update": (*rails).execute,
		"exec_delete": (*rails).execute, "exec_insert": (*rails).execute, "select_all": (*rails).execute,
		"select_value": (*rails).execute, "select_values": (*rails).execute, "select_rows": (*rails).execute,
		"update": (*rails).execute, "delete": (*rails).execute, "insert": (*rails).execute,
		"add_column":              (*rails).addColumn,
		"add_index":               (*rails).addIndex,
		"remove_index":            (*rails).removeIndex,
		"add_reference":           (*rails).addReference,
		"add_belongs_to":          (*rails).addReference,
		"remove_reference":        (*rails).removeReference,
		"remove_belongs_to":       (*rails).removeReference,
		"add_foreign_key":         (*rails).addForeignKey,
		"remove_foreign_key":      (*rails).removeForeignKey,
		"validate_foreign_key":    (*rails).validateForeignKey,
		"change_column":           (*rails).changeColumn,
		"change_column_null":      (*rails).changeColumnNull,
		"change_column_default":   (*rails).changeColumnDefault,
		"rename_column":           (*rails).renameColumn,
		"rename_table":            (*rails).renameTable,
		"rename_index":            (*rails).renameIndex,
		"remove_column":           (*rails).removeColumn,
		"remove_columns":          (*rails).removeColumn,
		"drop_table":              (*rails).dropTable,
		"create_table":            (*rails).createTable,
		"create_join_table":       (*rails).createJoinTable,
		"change_table":            (*rails).changeTable,
		"add_check_constraint":    (*rails).addCheckConstraint,
		"remove_check_constraint": (*rails).removeCheckConstraint,
		"validate_check_constraint": func(r *rails, c *node, sec migration.Section, rev bool) {
			r.validateConstraint(c, sec, r.checkName(c), rev)
		},
		"add_timestamps":    (*rails).addTimestamps,
		"remove_timestamps": (*rails).removeTimestamps,
		"enable_extension":  (*rails).extension,
		"disable_extension": (*rails).extension,
		"change_column_comment": func(r *rails, c *node, sec migration.Section, rev bool) {
			r.comment(c, sec, "COLUMN", 2)
		},
		"change_table_comment": func(r *rails, c *node, sec migration.Section, rev bool) {
			r.comment(c, sec, "TABLE", 1)
		},
	}
}

// irreversible records an operation of `change` that ActiveRecord cannot invert.
func (r *rails) irreversible(c *node, why, help string) {
	r.t.irreversible = append(r.t.irreversible, migration.Irreversible{Start: c.start, End: c.end,
		Reason: fmt.Sprintf("`%s` in `change` cannot be reversed (%s): rolling this migration back raises ActiveRecord::IrreversibleMigration", c.name, why),
		Help:   help})
}

// word reads a table, column or index name argument; it notes the call as not
// analysed when the name is computed at run time.
func (r *rails) word(c, n *node, what string) (string, bool) {
	if w := n.word(); w != "" {
		return w, true
	}
	r.t.unknown(c, fmt.Sprintf("`%s` with a %s computed at run time", c.name, what))
	return "", false
}

// names reads the leading name arguments of a call (table, column, ...); ok is false,
// and the call noted as not analysed, when one is computed at run time.
func (r *rails) names(c *node, what ...string) ([]string, bool) {
	out := make([]string, len(what))
	for i, w := range what {
		v, ok := r.word(c, c.arg(i), w)
		if !ok {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

func (r *rails) execute(c *node, sec migration.Section, rev bool) {
	s := r.sqlString(c.arg(0))
	if s == nil {
		r.t.unknown(c, fmt.Sprintf("`%s` of SQL built at run time", c.name))
		return
	}
	o := r.t.addRaw(c, sec, s.str)
	if sec == migration.Up {
		var outside func() (string, []migration.TextEdit)
		if r.t.wraps {
			outside = r.outsideTransaction
		}
		o.rewrite = rewrites(map[migration.Intent]func() (string, []migration.TextEdit){
			migration.Concurrently:       combine(r.t.rawConcurrently(o), outside),
			migration.OutsideTransaction: outside,
		})
	}
	if rev {
		r.irreversible(c, "ActiveRecord cannot know the SQL that undoes it",
			"Put the SQL in reversible do |dir| dir.up { execute ... }; dir.down { execute ... } end, or use up and down methods.")
	}
}

// colType renders an ActiveRecord column type for PostgreSQL.
func (r *rails) colType(typ string, opts *node) string {
	limit, _ := strconv.Atoi(opts.opt("limit").num())
	precision := opts.opt("precision")
	scale := opts.opt("scale")
	var out string
	switch typ {
	case "string":
		out = "character varying"
		if limit > 0 {
			out += fmt.Sprintf("(%d)", limit)
		}
	case "text", "binary":
		out = map[string]string{"text": "text", "binary": "bytea"}[typ]
	case "integer":
		switch {
		case limit == 8 || limit > 4:
			out = "bigint"
		case limit > 0 && limit <= 2:
			out = "smallint"
		default:
			out = "integer"
		}
	case "primary_key":
		out = "bigserial primary key"
	case "decimal", "numeric":
		out = "decimal"
		if precision != nil {
			if scale != nil {
				out += fmt.Sprintf("(%s,%s)", precision.raw, scale.raw)
			} else {
				out += fmt.Sprintf("(%s)", precision.raw)
			}
		}
	case "datetime", "timestamp":
		out = "timestamp"
		switch {
		case precision != nil && precision.kind == kNum:
			out += "(" + precision.raw + ")"
		case precision == nil && r.version >= 7.0:
			out += "(6)"
		}
	case "timestamptz":
		out = "timestamp with time zone"
	case "time":
		out = "time"
	case "float":
		out = "float"
	case "boolean", "date", "bigint", "json", "jsonb", "uuid", "inet", "cidr", "macaddr", "hstore", "citext",
		"money", "xml", "tsvector", "interval", "point", "line", "lseg", "box", "path", "polygon", "circle",
		"ltree", "oid", "bit", "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange", "serial", "bigserial", "smallint":
		out = typ
	case "bit_varying":
		out = "bit varying"
	default:
		out = typ
	}
	if opts.opt("array").truthy() {
		out += "[]"
	}
	return out
}

// num reads a number literal's text ("" for anything else).
func (n *node) num() string {
	if n == nil || n.kind != kNum {
		return ""
	}
	return n.raw
}

// columnDef writes `"name" type [DEFAULT x] [NOT NULL]` as ActiveRecord does.
func (r *rails) columnDef(b *sqlb, nameNode *node, name, typ string, typNode, opts *node) {
	b.from(nameNode, qi(name)).w(" ")
	b.from(typNode, r.colType(typ, opts))
	if d, ok := opts.optEntry("default"); ok {
		b.fromSpan(d.start, d.end, " DEFAULT "+railsDefault(r.t, d.val))
	}
	if n, ok := opts.optEntry("null"); ok && n.val.falsy() {
		b.fromSpan(n.start, n.end, " NOT NULL")
	}
	// ActiveRecord's add_column_options! ends with the key (t.column "id", :bigserial,
	// primary_key: true in a table created with id: false); the :primary_key type
	// already carries it.
	if p, ok := opts.optEntry("primary_key"); ok && p.val.truthy() && typ != "primary_key" {
		b.fromSpan(p.start, p.end, " PRIMARY KEY")
	}
}

// railsDefault renders a default: a literal, or a lambda's SQL (-> { "now()" }).
func railsDefault(t *translation, n *node) string {
	if v, ok := literal(n); ok {
		if n.kind == kBool {
			return strings.ToUpper(n.raw)
		}
		return v
	}
	if n != nil && n.kind == kCall && n.name == "lambda" {
		n = n.block
	}
	if n != nil && n.kind == kFunc && len(n.body) == 1 && n.body[0].kind == kStr {
		return n.body[0].str.text
	}
	return "dyn_default"
}

func (r *rails) addColumn(c *node, sec migration.Section, rev bool) {
	names, ok := r.names(c, "table name", "column name")
	if !ok {
		return
	}
	table, col := names[0], names[1]
	typ := c.arg(2).word()
	if typ == "" {
		typ = "string"
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ADD ")
	if c.opt("if_not_exists").truthy() {
		b.w("IF NOT EXISTS ")
	}
	r.columnDef(&b, c.arg(1), col, typ, c.arg(2), c)
	r.add(c, sec, &b)
	r.columnComment(c, sec, table, col)
	if rev {
		r.down(c, "ALTER TABLE ", qi(table), " DROP COLUMN ", qi(col))
	}
}

// columnComment emits COMMENT ON COLUMN for a comment: option.
func (r *rails) columnComment(c *node, sec migration.Section, table, col string) {
	if v, ok := literal(c.opt("comment")); ok {
		var b sqlb
		b.w("COMMENT ON COLUMN ", qi(table), ".", qi(col), " IS ", v)
		r.add(c, sec, &b)
	}
}

// down records the SQL ActiveRecord runs when it reverts an operation of `change`.
func (r *rails) down(c *node, parts ...string) {
	var b sqlb
	b.w(parts...)
	r.add(c, migration.Down, &b)
}

// indexName is ActiveRecord's default index name: index_<table>_on_<cols joined _and_>.
func indexName(table string, cols []string) string {
	clean := make([]string, len(cols))
	for i, c := range cols {
		clean[i] = strings.Trim(placeholder(c)[len("dyn_"):], "_")
		if strings.HasPrefix(clean[i], "v_") {
			clean[i] = clean[i][2:]
		}
		clean[i] = strings.ToLower(clean[i])
	}
	return "index_" + table + "_on_" + strings.Join(clean, "_and_")
}

// indexColumns renders index columns: names quoted, SQL expressions as written, with
// order: and opclass: applied.
func (r *rails) indexColumns(b *sqlb, colsNode *node, cols []string, opts *node) {
	b.w("(")
	for i, col := range cols {
		if i > 0 {
			b.w(", ")
		}
		switch {
		case colsNode.kind == kStr && strings.ContainsAny(col, "( "):
			b.raw(colsNode)
		default:
			b.w(qi(col))
		}
		if o := opts.opt("opclass"); o != nil {
			if w := o.word(); w != "" {
				b.w(" ", w)
			} else if v := o.opt(col).word(); v != "" {
				b.w(" ", v)
			}
		}
		if o := opts.opt("order"); o != nil {
			if w := o.word(); w != "" {
				b.w(" ", strings.ToUpper(w))
			} else if v := o.opt(col).word(); v != "" {
				b.w(" ", strings.ToUpper(v))
			}
		}
	}
	b.w(")")
}

// createIndex emits CREATE INDEX for add_index, t.index and the index of a reference.
func (r *rails) createIndex(c *node, sec migration.Section, table string, colsNode *node, cols []string, opts *node, rev bool) {
	name := indexName(table, cols)
	if n := opts.opt("name").word(); n != "" {
		name = n
	}
	var b sqlb
	b.w("CREATE ")
	if opts.opt("unique").truthy() {
		b.markNode(opts.opt("unique"), func() { b.w("UNIQUE ") })
	}
	b.w("INDEX ")
	algo, hasAlgo := opts.optEntry("algorithm")
	if hasAlgo && algo.val.word() == "concurrently" {
		b.fromSpan(algo.start, algo.end, "CONCURRENTLY ")
	}
	if opts.opt("if_not_exists").truthy() {
		b.w("IF NOT EXISTS ")
	}
	b.w(qi(name), " ON ", qi(table), " ")
	if u := opts.opt("using").word(); u != "" {
		b.w("USING ", u, " ")
	}
	r.indexColumns(&b, colsNode, cols, opts)
	if inc := opts.opt("include").words(); len(inc) > 0 {
		b.w(" INCLUDE (", qis(inc), ")")
	}
	if w := opts.opt("where"); w != nil && w.kind == kStr {
		b.w(" WHERE ").raw(w)
	}
	r.add(c, sec, &b)
	if rev {
		r.down(c, "DROP INDEX ", concurrentlyWord(hasAlgo && algo.val.word() == "concurrently"), qi(name))
	}
}

func concurrentlyWord(on bool) string {
	if on {
		return "CONCURRENTLY "
	}
	return ""
}

func (r *rails) addIndex(c *node, sec migration.Section, rev bool) {
	table, ok := r.word(c, c.arg(0), "table name")
	if !ok {
		return
	}
	cols := c.arg(1).words()
	if len(cols) == 0 {
		r.t.unknown(c, "`add_index` with columns computed at run time")
		return
	}
	r.createIndex(c, sec, table, c.arg(1), cols, c, rev)
}

func (r *rails) removeIndex(c *node, sec migration.Section, rev bool) {
	table, ok := r.word(c, c.arg(0), "table name")
	if !ok {
		return
	}
	cols := c.arg(1).words()
	if len(cols) == 0 {
		cols = c.opt("column").words()
	}
	name := c.opt("name").word()
	if name == "" && len(cols) > 0 {
		name = indexName(table, cols)
	}
	if name == "" {
		r.t.unknown(c, "`remove_index` without a column or name")
		return
	}
	var b sqlb
	b.w("DROP INDEX ")
	algo, concurrently := c.optEntry("algorithm")
	concurrently = concurrently && algo.val.word() == "concurrently"
	if concurrently {
		b.fromSpan(algo.start, algo.end, "CONCURRENTLY ")
	}
	if c.opt("if_exists").truthy() {
		b.w("IF EXISTS ")
	}
	b.w(qi(name))
	r.add(c, sec, &b)
	if rev {
		if len(cols) == 0 {
			r.irreversible(c, "it names the index but not its columns", "Pass the column: remove_index :table, :column (or column: [...]) so Rails can recreate it.")
			return
		}
		var d sqlb
		d.w("CREATE INDEX ", concurrentlyWord(concurrently), qi(name), " ON ", qi(table), " (", qis(cols), ")")
		r.add(c, migration.Down, &d)
	}
}

// reference describes add_reference's column(s) and their index and foreign key:
// ActiveRecord's ReferenceDefinition#add, one add_column each (<ref>_type first when
// polymorphic), then add_index and add_foreign_key.
func (r *rails) addReference(c *node, sec migration.Section, rev bool) {
	names, ok := r.names(c, "table name", "reference name")
	if !ok {
		return
	}
	table, ref := names[0], names[1]
	r.addReferenceColumns(c, sec, table, ref)
	r.referenceExtras(c, sec, table, ref, c, rev)
	if rev {
		r.dropReference(c, migration.Down, table, ref)
	}
}

// addReferenceColumns adds a reference's columns, one statement each.
func (r *rails) addReferenceColumns(c *node, sec migration.Section, table, ref string) {
	if c.opt("polymorphic").truthy() {
		var t sqlb
		t.w("ALTER TABLE ", qi(table), " ADD ")
		r.typeColumn(&t, c, ref, c)
		r.add(c, sec, &t)
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ADD ")
	r.idColumn(&b, c, ref, c)
	r.add(c, sec, &b)
}

// dropReference is remove_reference: the foreign key, then <ref>_id, then <ref>_type
// when polymorphic, one statement each.
func (r *rails) dropReference(c *node, sec migration.Section, table, ref string) {
	if fk := c.opt("foreign_key"); fk != nil && !fk.falsy() {
		var b sqlb
		b.w("ALTER TABLE ", qi(table), " DROP CONSTRAINT ", qi(foreignKeyName(table, ref+"_id")))
		r.add(c, sec, &b)
	}
	cols := []string{ref + "_id"}
	if c.opt("polymorphic").truthy() {
		cols = append(cols, ref+"_type")
	}
	for _, col := range cols {
		var b sqlb
		b.w("ALTER TABLE ", qi(table), " DROP COLUMN ", qi(col))
		r.add(c, sec, &b)
	}
}

// referenceColumns writes the column definitions of a reference: <ref>_type (when
// polymorphic, first, as ReferenceDefinition#columns puts it) and <ref>_id,
// separated by sep.
func (r *rails) referenceColumns(b *sqlb, c *node, ref string, opts *node, sep string) {
	if opts.opt("polymorphic").truthy() {
		r.typeColumn(b, c, ref, opts)
		b.w(sep)
	}
	r.idColumn(b, c, ref, opts)
}

func (r *rails) idColumn(b *sqlb, c *node, ref string, opts *node) {
	typ := "bigint"
	if t := opts.opt("type").word(); t != "" {
		typ = r.colType(t, opts)
	}
	if r.version > 0 && r.version < 5.1 && opts.opt("type") == nil {
		typ = "integer"
	}
	b.from(c.arg(1), qi(ref+"_id")).w(" ", typ)
	if n, ok := opts.optEntry("null"); ok && n.val.falsy() {
		b.fromSpan(n.start, n.end, " NOT NULL")
	}
}

func (r *rails) typeColumn(b *sqlb, c *node, ref string, opts *node) {
	b.from(c.arg(1), qi(ref+"_type")).w(" character varying")
	if n, ok := opts.optEntry("null"); ok && n.val.falsy() {
		b.fromSpan(n.start, n.end, " NOT NULL")
	}
}

// referenceIndexOptions are the options of a reference's index: index: { ... }, and
// from Migration[6.1] on, the name index_<table>_on_<ref> for a polymorphic one
// (ReferenceDefinition#index_options; earlier versions keep the name of its columns).
func (r *rails) referenceIndexOptions(idx *node, table, ref string, polymorphic bool) *node {
	opts := idx
	if idx == nil || idx.kind != kDict {
		opts = &node{kind: kDict}
	}
	if polymorphic && r.version >= 6.1 && opts.opt("name") == nil {
		named := *opts
		named.kw = append(append([]kwarg(nil), opts.kw...), kwarg{key: "name", val: &node{kind: kSym, name: "index_" + table + "_on_" + ref}})
		opts = &named
	}
	return opts
}

// referenceExtras emits the index (on by default) and the foreign key of a reference.
func (r *rails) referenceExtras(c *node, sec migration.Section, table, ref string, opts *node, rev bool) {
	idx := opts.opt("index")
	if !idx.falsy() && !(idx == nil && r.version > 0 && r.version < 5.0) {
		cols := []string{ref + "_id"}
		polymorphic := opts.opt("polymorphic").truthy()
		if polymorphic {
			cols = []string{ref + "_type", ref + "_id"}
		}
		r.createIndex(c, sec, table, &node{kind: kList}, cols, r.referenceIndexOptions(idx, table, ref, polymorphic), false)
	}
	fk, ok := opts.optEntry("foreign_key")
	if !ok || fk.val.falsy() {
		return
	}
	to := pluralize(ref)
	if t := fk.val.opt("to_table").word(); t != "" {
		to = t
	}
	r.foreignKey(c, sec, table, to, ref+"_id", fk.val, fk.start, fk.end)
}

// removeReference is remove_reference; its reverse is add_reference with the same
// options (the columns, index and foreign key back).
func (r *rails) removeReference(c *node, sec migration.Section, rev bool) {
	names, ok := r.names(c, "table name", "reference name")
	if !ok {
		return
	}
	table, ref := names[0], names[1]
	r.dropReference(c, sec, table, ref)
	if rev {
		r.addReferenceColumns(c, migration.Down, table, ref)
		r.referenceExtras(c, migration.Down, table, ref, c, false)
	}
}

// foreignKeyName is ActiveRecord's fk_rails_<first 10 hex of sha256("<table>_<column>_fk")>.
func foreignKeyName(table, column string) string {
	h := sha256.Sum256([]byte(table + "_" + column + "_fk"))
	return "fk_rails_" + hex.EncodeToString(h[:])[:10]
}

// foreignKey emits ADD CONSTRAINT ... FOREIGN KEY with ActiveRecord's options.
func (r *rails) foreignKey(c *node, sec migration.Section, from, to, column string, opts *node, optStart, optEnd int) {
	pk := "id"
	if p := opts.opt("primary_key").word(); p != "" {
		pk = p
	}
	name := foreignKeyName(from, column)
	if n := opts.opt("name").word(); n != "" {
		name = n
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(from), " ADD CONSTRAINT ", qi(name), " FOREIGN KEY (", qi(column), ") REFERENCES ", qi(to), " (", qi(pk), ")")
	for _, o := range []string{"on_delete", "on_update"} {
		if e, ok := opts.optEntry(o); ok {
			if act := fkAction(e.val.word()); act != "" {
				b.fromSpan(e.start, e.end, " "+strings.ToUpper(strings.ReplaceAll(o, "_", " "))+" "+act)
			}
		}
	}
	if v, ok := opts.optEntry("validate"); ok && v.val.falsy() {
		b.fromSpan(v.start, v.end, " NOT VALID")
	}
	o := r.add(c, sec, &b)
	if optEnd > optStart {
		o.pieces = append(o.pieces, migration.Piece{SQLStart: 0, SQLEnd: len(o.sql), FileStart: optStart, FileEnd: optEnd})
	}
}

func fkAction(a string) string {
	switch a {
	case "cascade":
		return "CASCADE"
	case "nullify":
		return "SET NULL"
	case "restrict":
		return "RESTRICT"
	case "no_action":
		return "NO ACTION"
	}
	return ""
}

// fkTarget reads add_foreign_key's (from, to, column:) and the constraint's name.
func (r *rails) fkTarget(c *node) (from, to, column, name string, ok bool) {
	from, ok = r.word(c, c.arg(0), "table name")
	if !ok {
		return
	}
	to = c.arg(1).word()
	column = c.opt("column").word()
	if column == "" && to != "" {
		column = singularize(to) + "_id"
	}
	name = c.opt("name").word()
	if name == "" && column != "" {
		name = foreignKeyName(from, column)
	}
	if name == "" {
		r.t.unknown(c, fmt.Sprintf("`%s` without the referenced table, a column or a name", c.name))
		return "", "", "", "", false
	}
	return from, to, column, name, true
}

func (r *rails) addForeignKey(c *node, sec migration.Section, rev bool) {
	from, to, column, _, ok := r.fkTarget(c)
	if !ok || to == "" {
		if ok {
			r.t.unknown(c, "`add_foreign_key` without the referenced table")
		}
		return
	}
	r.foreignKey(c, sec, from, to, column, c, 0, 0)
	if rev {
		name := foreignKeyName(from, column)
		if n := c.opt("name").word(); n != "" {
			name = n
		}
		r.down(c, "ALTER TABLE ", qi(from), " DROP CONSTRAINT ", qi(name))
	}
}

func (r *rails) removeForeignKey(c *node, sec migration.Section, rev bool) {
	from, to, column, name, ok := r.fkTarget(c)
	if !ok {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(from), " DROP CONSTRAINT ", qi(name))
	r.add(c, sec, &b)
	if rev {
		if to == "" {
			r.irreversible(c, "it does not name the referenced table", "Pass the referenced table: remove_foreign_key :from, :to.")
			return
		}
		var d sqlb
		d.w("ALTER TABLE ", qi(from), " ADD CONSTRAINT ", qi(name), " FOREIGN KEY (", qi(column), ") REFERENCES ", qi(to), " (", qi("id"), ")")
		r.add(c, migration.Down, &d)
	}
}

func (r *rails) validateForeignKey(c *node, sec migration.Section, rev bool) {
	_, _, _, name, ok := r.fkTarget(c)
	if !ok {
		return
	}
	r.validateConstraint(c, sec, name, rev)
}

// validateConstraint emits VALIDATE CONSTRAINT. ActiveRecord does not record it for
// reverting `change`, so a rollback runs it again.
func (r *rails) validateConstraint(c *node, sec migration.Section, name string, rev bool) {
	table, ok := r.word(c, c.arg(0), "table name")
	if !ok || name == "" {
		return
	}
	validate := "ALTER TABLE " + qi(table) + " VALIDATE CONSTRAINT " + qi(name)
	r.emit(c, sec, rev, validate, validate)
	if rev {
		r.t.ops[len(r.t.ops)-1].downFirst = true
	}
}

// emit sends one statement generated for the call as a whole and, when `change` is
// reversed, its inverse.
func (r *rails) emit(c *node, sec migration.Section, rev bool, up, down string) {
	var b sqlb
	b.w(up)
	r.add(c, sec, &b)
	if rev {
		r.down(c, down)
	}
}

func (r *rails) changeColumn(c *node, sec migration.Section, rev bool) {
	names, ok := r.names(c, "table name", "column name")
	if !ok {
		return
	}
	table, col := names[0], names[1]
	typ := c.arg(2).word()
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ")
	b.from(c.arg(2), "ALTER COLUMN "+qi(col)+" TYPE "+r.colType(typ, c))
	if u := c.opt("using"); u != nil && u.kind == kStr {
		b.w(" USING ").raw(u)
	}
	if d, ok := c.optEntry("default"); ok {
		b.fromSpan(d.start, d.end, ", ALTER COLUMN "+qi(col)+" SET DEFAULT "+railsDefault(r.t, d.val))
	}
	if n, ok := c.optEntry("null"); ok {
		if n.val.falsy() {
			b.fromSpan(n.start, n.end, ", ALTER COLUMN "+qi(col)+" SET NOT NULL")
		} else {
			b.fromSpan(n.start, n.end, ", ALTER COLUMN "+qi(col)+" DROP NOT NULL")
		}
	}
	r.add(c, sec, &b)
	if rev {
		r.irreversible(c, "the column's previous type is not in the migration", "Use up and down methods, with the old type in down.")
	}
}

func (r *rails) changeColumnNull(c *node, sec migration.Section, rev bool) {
	names, ok := r.names(c, "table name", "column name")
	if !ok {
		return
	}
	table, col := names[0], names[1]
	notNull := c.arg(2).falsy()
	if def := c.arg(3); notNull && def != nil && def.kind != kNull {
		var u sqlb
		v, ok := literal(def)
		if !ok {
			v = "$1"
		}
		u.w("UPDATE ", qi(table), " SET ", qi(col), "=").from(def, v).w(" WHERE ", qi(col), " IS NULL")
		r.add(c, sec, &u)
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ALTER COLUMN ", qi(col), " ")
	if notNull {
		b.from(c.arg(2), "SET NOT NULL")
	} else {
		b.from(c.arg(2), "DROP NOT NULL")
	}
	r.add(c, sec, &b)
	if rev {
		word := map[bool]string{true: "DROP NOT NULL", false: "SET NOT NULL"}[notNull]
		r.down(c, "ALTER TABLE ", qi(table), " ALTER COLUMN ", qi(col), " ", word)
	}
}

func (r *rails) changeColumnDefault(c *node, sec migration.Section, rev bool) {
	names, ok := r.names(c, "table name", "column name")
	if !ok {
		return
	}
	table, col := names[0], names[1]
	val := c.arg(2)
	from, hasFrom := c.optEntry("from")
	to, hasTo := c.optEntry("to")
	if hasTo {
		val = to.val
	}
	setDefault := func(b *sqlb, v *node) {
		if v == nil || v.kind == kNull {
			b.w("DROP DEFAULT")
			return
		}
		b.from(v, "SET DEFAULT "+railsDefault(r.t, v))
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ALTER COLUMN ", qi(col), " ")
	setDefault(&b, val)
	r.add(c, sec, &b)
	if rev {
		if !hasFrom || !hasTo {
			r.irreversible(c, "it does not say the default it replaces", "Write change_column_default :table, :column, from: old, to: new.")
			return
		}
		var d sqlb
		d.w("ALTER TABLE ", qi(table), " ALTER COLUMN ", qi(col), " ")
		setDefault(&d, from.val)
		r.add(c, migration.Down, &d)
	}
}

func (r *rails) renameColumn(c *node, sec migration.Section, rev bool) {
	table, ok := r.word(c, c.arg(0), "table name")
	if !ok {
		return
	}
	from, ok1 := r.word(c, c.arg(1), "column name")
	to, ok2 := r.word(c, c.arg(2), "column name")
	if !ok1 || !ok2 {
		return
	}
	r.emit(c, sec, rev, "ALTER TABLE "+qi(table)+" RENAME COLUMN "+qi(from)+" TO "+qi(to),
		"ALTER TABLE "+qi(table)+" RENAME COLUMN "+qi(to)+" TO "+qi(from))
}

func (r *rails) renameTable(c *node, sec migration.Section, rev bool) {
	from, ok1 := r.word(c, c.arg(0), "table name")
	to, ok2 := r.word(c, c.arg(1), "table name")
	if !ok1 || !ok2 {
		return
	}
	emit := func(sec migration.Section, a, b string) {
		for _, parts := range [][]string{
			{"ALTER TABLE ", qi(a), " RENAME TO ", qi(b)},
			// ActiveRecord renames the primary key's index and sequence when they have
			// their default names.
			{"ALTER INDEX ", qi(a + "_pkey"), " RENAME TO ", qi(b + "_pkey")},
			// ActiveRecord writes ALTER TABLE for the sequence; PostgreSQL runs it as ALTER
			// SEQUENCE, and saying so keeps the table rules off the sequence.
			{"ALTER SEQUENCE ", qi("public"), ".", qi(a + "_id_seq"), " RENAME TO ", qi(b + "_id_seq")},
		} {
			var s sqlb
			s.w(parts...)
			r.add(c, sec, &s)
		}
	}
	emit(sec, from, to)
	if rev {
		emit(migration.Down, to, from)
	}
}

func (r *rails) renameIndex(c *node, sec migration.Section, rev bool) {
	from, ok1 := r.word(c, c.arg(1), "index name")
	to, ok2 := r.word(c, c.arg(2), "index name")
	if !ok1 || !ok2 {
		return
	}
	r.emit(c, sec, rev, "ALTER INDEX "+qi(from)+" RENAME TO "+qi(to), "ALTER INDEX "+qi(to)+" RENAME TO "+qi(from))
}

func (r *rails) removeColumn(c *node, sec migration.Section, rev bool) {
	table, ok := r.word(c, c.arg(0), "table name")
	if !ok {
		return
	}
	var cols []string
	var colNodes []*node
	if c.name == "remove_columns" {
		colNodes = c.args[1:]
	} else if c.arg(1) != nil {
		colNodes = []*node{c.arg(1)}
	}
	for _, n := range colNodes {
		col, ok := r.word(c, n, "column name")
		if !ok {
			return
		}
		cols = append(cols, col)
	}
	if len(cols) == 0 {
		r.t.unknown(c, "`"+c.name+"` without columns")
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ")
	for i, col := range cols {
		if i > 0 {
			b.w(", ")
		}
		b.from(colNodes[i], "DROP COLUMN ")
		if c.opt("if_exists").truthy() {
			b.w("IF EXISTS ")
		}
		b.from(colNodes[i], qi(col))
	}
	r.add(c, sec, &b)
	if !rev {
		return
	}
	typ := c.arg(2).word()
	if c.name == "remove_columns" {
		typ = c.opt("type").word()
	}
	if typ == "" {
		r.irreversible(c, "it does not give the column's type", "Pass the type (and options) so Rails can add the column back: remove_column :table, :column, :type.")
		return
	}
	for _, col := range cols {
		var d sqlb
		d.w("ALTER TABLE ", qi(table), " ADD ")
		r.columnDef(&d, nil, col, typ, nil, c)
		r.add(c, migration.Down, &d)
	}
}

func (r *rails) dropTable(c *node, sec migration.Section, rev bool) {
	table, ok := r.word(c, c.arg(0), "table name")
	if !ok {
		return
	}
	var b sqlb
	b.w("DROP TABLE ")
	if c.opt("if_exists").truthy() {
		b.w("IF EXISTS ")
	}
	b.w(qi(table))
	if c.opt("force").word() == "cascade" {
		b.w(" CASCADE")
	}
	r.add(c, sec, &b)
	if !rev {
		return
	}
	if c.block == nil {
		r.irreversible(c, "it has no block describing the table", "Give drop_table the create_table block (drop_table :t do |t| ... end) so Rails can recreate it.")
		return
	}
	r.tableDefinition(c, migration.Down, table, c.block, c, false)
}

func (r *rails) createTable(c *node, sec migration.Section, rev bool) {
	table, ok := r.word(c, c.arg(0), "table name")
	if !ok {
		return
	}
	r.tableDefinition(c, sec, table, c.block, c, true)
	if rev {
		r.down(c, "DROP TABLE ", qi(table))
	}
}

func (r *rails) createJoinTable(c *node, sec migration.Section, rev bool) {
	a, ok1 := r.word(c, c.arg(0), "table name")
	b2, ok2 := r.word(c, c.arg(1), "table name")
	if !ok1 || !ok2 {
		return
	}
	table := joinTableName(a, b2)
	if t := c.opt("table_name").word(); t != "" {
		table = t
	}
	// Both columns are references with column_options, which ActiveRecord gives
	// null: false unless they say otherwise.
	colOpts := c.opt("column_options")
	typ := "bigint"
	if t := colOpts.opt("type").word(); t != "" {
		typ = r.colType(t, colOpts)
	}
	null := " NOT NULL"
	if n := colOpts.opt("null"); n != nil && !n.falsy() {
		null = ""
	}
	var b sqlb
	b.w("CREATE TABLE ", qi(table), " (", qi(singularize(a)+"_id"), " ", typ, null, ", ", qi(singularize(b2)+"_id"), " ", typ, null, ")")
	r.add(c, sec, &b)
	if c.block != nil {
		r.tableBlockIndexes(c, sec, table, c.block)
	}
	if rev {
		r.down(c, "DROP TABLE ", qi(table))
	}
}

// joinTableName is ActiveRecord's derive_join_table_name: the two names in order,
// joined by "_", a prefix they share ending in "_" written once (music_artists and
// music_records join in music_artists_records).
func joinTableName(a, b string) string {
	if a > b {
		a, b = b, a
	}
	// The regexp ^(.*_)(.+)\0\1(.+) over "a\0b": the longest prefix of a ending in "_"
	// that b starts with, a and b each having more after it.
	for i := len(a) - 2; i >= 0; i-- {
		if a[i] == '_' && strings.HasPrefix(b, a[:i+1]) && len(b) > i+1 {
			return a + "_" + b[i+1:]
		}
	}
	return a + "_" + b
}

// tableDefinition emits CREATE TABLE for a create_table block, then the indexes and
// foreign keys ActiveRecord adds after it.
func (r *rails) tableDefinition(c *node, sec migration.Section, table string, block, opts *node, create bool) {
	var b sqlb
	b.w("CREATE TABLE ")
	if opts.opt("if_not_exists").truthy() {
		b.w("IF NOT EXISTS ")
	}
	b.w(qi(table), " (")
	n := 0
	sep := func() {
		if n > 0 {
			b.w(", ")
		}
		n++
	}
	id := opts.opt("id")
	if !id.falsy() {
		pk := "id"
		if p := opts.opt("primary_key").word(); p != "" {
			pk = p
		}
		sep()
		switch w := id.word(); w {
		case "", "bigint", "primary_key", "bigserial":
			if r.version > 0 && r.version < 5.1 && id == nil {
				b.w(qi(pk), " serial primary key")
			} else {
				b.w(qi(pk), " bigserial primary key")
			}
		case "uuid":
			b.w(qi(pk), " uuid DEFAULT gen_random_uuid() NOT NULL PRIMARY KEY")
		case "integer", "serial":
			b.w(qi(pk), " serial primary key")
		default:
			b.w(qi(pk), " ", r.colType(w, opts), " NOT NULL PRIMARY KEY")
		}
	}
	param := ""
	var cols []*node
	if block != nil {
		if len(block.params) > 0 {
			param = block.params[0]
		}
		cols = block.body
	}
	var fks, fkDefs []func()
	for _, s := range cols {
		if s.kind != kCall || s.recv == nil || s.recv.path() != param {
			if s.kind == kCall || s.kind == kOther {
				r.t.unknown(s, "code in the create_table block")
			}
			continue
		}
		switch s.name {
		case "index", "check_constraint", "foreign_key":
		case "timestamps":
			for _, col := range []string{"created_at", "updated_at"} {
				sep()
				b.mark(s.start, s.end, func() {
					r.columnDef(&b, nil, col, "datetime", nil, withDefaults(s, "null", "false", "precision", "6"))
				})
			}
		case "references", "belongs_to":
			for _, a := range s.args {
				ref := a.word()
				if ref == "" {
					continue
				}
				sep()
				rc := &node{kind: kCall, start: s.start, end: s.end, args: []*node{nil, a}, kw: s.kw}
				b.mark(s.start, s.end, func() { r.referenceColumns(&b, rc, ref, s, ", ") })
				idx := s.opt("index")
				if !idx.falsy() {
					cols := []string{ref + "_id"}
					if s.opt("polymorphic").truthy() {
						cols = []string{ref + "_type", ref + "_id"}
					}
					st, rf := s, ref
					fks = append(fks, func() {
						io := r.referenceIndexOptions(st.opt("index"), table, rf, st.opt("polymorphic").truthy())
						r.createIndex(st, sec, table, &node{kind: kList}, cols, io, false)
					})
				}
				if fk, ok := s.optEntry("foreign_key"); ok && !fk.val.falsy() {
					to := pluralize(ref)
					if t := fk.val.opt("to_table").word(); t != "" {
						to = t
					}
					// ActiveRecord writes the foreign keys after every column.
					fkDefs = append(fkDefs, func() {
						sep()
						b.fromSpan(fk.start, fk.end, "CONSTRAINT "+qi(foreignKeyName(table, ref+"_id"))+" FOREIGN KEY ("+qi(ref+"_id")+") REFERENCES "+qi(to)+" ("+qi("id")+")")
					})
				}
			}
		default:
			typ := s.name
			if typ == "column" {
				typ = s.arg(1).word()
			}
			colArgs := s.args
			if s.name == "column" {
				colArgs = s.args[:1]
			}
			for _, a := range colArgs {
				col := a.word()
				if col == "" {
					r.t.unknown(s, "a column with a name computed at run time")
					continue
				}
				sep()
				b.mark(s.start, s.end, func() { r.columnDef(&b, a, col, typ, nil, s) })
				if s.opt("index") != nil && !s.opt("index").falsy() {
					st, cl := s, col
					fks = append(fks, func() {
						io := st.opt("index")
						if io.kind != kDict {
							io = &node{kind: kDict}
						}
						r.createIndex(st, sec, table, &node{kind: kList}, []string{cl}, io, false)
					})
				}
			}
		}
	}
	for _, f := range fkDefs {
		f()
	}
	for _, s := range cols {
		if s.kind == kCall && s.recv != nil && s.recv.path() == param && s.name == "check_constraint" {
			if e := s.arg(0); e != nil && e.kind == kStr {
				sep()
				name := s.opt("name").word()
				if name == "" {
					name = checkConstraintName(table, e.str.text)
				}
				b.mark(s.start, s.end, func() { b.w("CONSTRAINT ", qi(name), " CHECK (").raw(e).w(")") })
			}
		}
	}
	b.w(")")
	r.add(c, sec, &b)
	for _, f := range fks {
		f()
	}
	if block != nil {
		r.tableBlockIndexes(c, sec, table, block)
	}
	_ = create
}

// withDefaults returns opts with extra options unless opts sets them.
func withDefaults(opts *node, kv ...string) *node {
	out := &node{kind: kDict, start: opts.start, end: opts.end, kw: append([]kwarg(nil), opts.kw...)}
	for i := 0; i+1 < len(kv); i += 2 {
		if opts.opt(kv[i]) != nil {
			continue
		}
		v := &node{kind: kNum, raw: kv[i+1]}
		if kv[i+1] == "false" || kv[i+1] == "true" {
			v = &node{kind: kBool, raw: kv[i+1]}
		}
		out.kw = append(out.kw, kwarg{key: kv[i], val: v})
	}
	return out
}

// tableBlockIndexes emits the t.index calls of a create_table block.
func (r *rails) tableBlockIndexes(c *node, sec migration.Section, table string, block *node) {
	param := ""
	if len(block.params) > 0 {
		param = block.params[0]
	}
	for _, s := range block.body {
		if s.kind == kCall && s.recv != nil && s.recv.path() == param && s.name == "index" {
			cols := s.arg(0).words()
			if len(cols) == 0 {
				r.t.unknown(s, "`index` with columns computed at run time")
				continue
			}
			r.createIndex(s, sec, table, s.arg(0), cols, s, false)
		}
	}
}

// changeTable runs each t.<op> of a change_table block as the matching statement.
func (r *rails) changeTable(c *node, sec migration.Section, rev bool) {
	table, ok := r.word(c, c.arg(0), "table name")
	if !ok || c.block == nil {
		return
	}
	param := ""
	if len(c.block.params) > 0 {
		param = c.block.params[0]
	}
	tableNode := c.arg(0)
	for _, s := range c.block.body {
		if s.kind != kCall || s.recv == nil || s.recv.path() != param {
			r.stmt(s, sec, rev)
			continue
		}
		// t.string :x -> add_column :table, :x, :string; t.remove :x -> remove_column ...
		withTable := func(name string, args ...*node) *node {
			return &node{kind: kCall, name: name, start: s.start, end: s.end, args: append([]*node{tableNode}, args...), kw: s.kw, block: s.block}
		}
		switch s.name {
		case "index":
			r.addIndex(withTable("add_index", s.args...), sec, rev)
		case "remove_index":
			r.removeIndex(withTable("remove_index", s.args...), sec, rev)
		case "remove":
			r.removeColumn(withTable("remove_columns", s.args...), sec, rev)
		case "rename":
			r.renameColumn(withTable("rename_column", s.args...), sec, rev)
		case "change":
			r.changeColumn(withTable("change_column", s.args...), sec, rev)
		case "change_default":
			r.changeColumnDefault(withTable("change_column_default", s.args...), sec, rev)
		case "change_null":
			r.changeColumnNull(withTable("change_column_null", s.args...), sec, rev)
		case "references", "belongs_to":
			for _, a := range s.args {
				r.addReference(withTable("add_reference", a), sec, rev)
			}
		case "remove_references", "remove_belongs_to":
			for _, a := range s.args {
				r.removeReference(withTable("remove_reference", a), sec, rev)
			}
		case "timestamps":
			r.addTimestamps(withTable("add_timestamps"), sec, rev)
		case "remove_timestamps":
			r.removeTimestamps(withTable("remove_timestamps"), sec, rev)
		case "foreign_key":
			r.addForeignKey(withTable("add_foreign_key", s.args...), sec, rev)
		case "check_constraint":
			r.addCheckConstraint(withTable("add_check_constraint", s.args...), sec, rev)
		case "column":
			r.addColumn(withTable("add_column", s.args...), sec, rev)
		default:
			for _, a := range s.args {
				r.addColumn(withTable("add_column", a, &node{kind: kSym, name: s.name, start: s.start, end: s.start}), sec, rev)
			}
		}
	}
	_ = table
}

// checkConstraintName is ActiveRecord's chk_rails_<first 10 hex of sha256("<table>_<expr>_chk")>.
func checkConstraintName(table, expr string) string {
	h := sha256.Sum256([]byte(table + "_" + expr + "_chk"))
	return "chk_rails_" + hex.EncodeToString(h[:])[:10]
}

func (r *rails) checkName(c *node) string {
	if n := c.opt("name").word(); n != "" {
		return n
	}
	table, expr := c.arg(0).word(), c.arg(1)
	if table != "" && expr != nil && expr.kind == kStr {
		return checkConstraintName(table, expr.str.text)
	}
	return ""
}

func (r *rails) addCheckConstraint(c *node, sec migration.Section, rev bool) {
	table, ok := r.word(c, c.arg(0), "table name")
	if !ok {
		return
	}
	expr := c.arg(1)
	if expr == nil || expr.kind != kStr {
		r.t.unknown(c, "`add_check_constraint` with a condition built at run time")
		return
	}
	name := r.checkName(c)
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ADD CONSTRAINT ", qi(name), " CHECK (").raw(expr).w(")")
	if v, ok := c.optEntry("validate"); ok && v.val.falsy() {
		b.fromSpan(v.start, v.end, " NOT VALID")
	}
	r.add(c, sec, &b)
	if rev {
		r.down(c, "ALTER TABLE ", qi(table), " DROP CONSTRAINT ", qi(name))
	}
}

func (r *rails) removeCheckConstraint(c *node, sec migration.Section, rev bool) {
	table, ok := r.word(c, c.arg(0), "table name")
	if !ok {
		return
	}
	name := r.checkName(c)
	if name == "" {
		r.t.unknown(c, "`remove_check_constraint` without a name or condition")
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " DROP CONSTRAINT ", qi(name))
	r.add(c, sec, &b)
	if rev {
		expr := c.arg(1)
		if expr == nil || expr.kind != kStr {
			r.irreversible(c, "it does not give the condition", "Pass the condition so Rails can add the constraint back.")
			return
		}
		var d sqlb
		d.w("ALTER TABLE ", qi(table), " ADD CONSTRAINT ", qi(name), " CHECK (", expr.str.text, ")")
		r.add(c, migration.Down, &d)
	}
}

func (r *rails) addTimestamps(c *node, sec migration.Section, rev bool) {
	table, ok := r.word(c, c.arg(0), "table name")
	if !ok {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ")
	opts := withDefaults(c, "null", "false", "precision", "6")
	for i, col := range []string{"created_at", "updated_at"} {
		if i > 0 {
			b.w(", ")
		}
		b.w("ADD ")
		r.columnDef(&b, nil, col, "datetime", nil, opts)
	}
	r.add(c, sec, &b)
	if rev {
		r.down(c, "ALTER TABLE ", qi(table), " DROP COLUMN ", qi("updated_at"), ", DROP COLUMN ", qi("created_at"))
	}
}

func (r *rails) removeTimestamps(c *node, sec migration.Section, rev bool) {
	table, ok := r.word(c, c.arg(0), "table name")
	if !ok {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " DROP COLUMN ", qi("updated_at"), ", DROP COLUMN ", qi("created_at"))
	r.add(c, sec, &b)
	if rev {
		var d sqlb
		d.w("ALTER TABLE ", qi(table), " ADD ")
		r.columnDef(&d, nil, "created_at", "datetime", nil, withDefaults(c, "null", "false", "precision", "6"))
		d.w(", ADD ")
		r.columnDef(&d, nil, "updated_at", "datetime", nil, withDefaults(c, "null", "false", "precision", "6"))
		r.add(c, migration.Down, &d)
	}
}

func (r *rails) extension(c *node, sec migration.Section, rev bool) {
	name, ok := r.word(c, c.arg(0), "extension name")
	if !ok {
		return
	}
	create := fmt.Sprintf("CREATE EXTENSION IF NOT EXISTS %s", qi(name))
	drop := fmt.Sprintf("DROP EXTENSION IF EXISTS %s CASCADE", qi(name))
	if c.name == "disable_extension" {
		create, drop = drop, create
	}
	r.emit(c, sec, rev, create, drop)
}

func (r *rails) comment(c *node, sec migration.Section, what string, valueArg int) {
	table, ok := r.word(c, c.arg(0), "table name")
	if !ok {
		return
	}
	target := qi(table)
	if what == "COLUMN" {
		col, ok := r.word(c, c.arg(1), "column name")
		if !ok {
			return
		}
		target += "." + qi(col)
	}
	val := c.arg(valueArg)
	if to := c.opt("to"); to != nil {
		val = to
	}
	v, ok := literal(val)
	if !ok {
		v = "NULL"
	}
	var b sqlb
	b.w("COMMENT ON ", what, " ", target, " IS ", v)
	r.add(c, sec, &b)
}

// exprText is a node's source, for messages.
func exprText(t *translation, n *node) string {
	s := string(t.src[n.start:n.end])
	if i := strings.IndexAny(s, "\n("); i > 0 {
		s = s[:i]
	}
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	return strings.TrimSpace(s)
}

// add records a generated statement of call c with the call's DSL rewrites.
func (r *rails) add(c *node, sec migration.Section, b *sqlb) *op {
	o := r.t.add(c, sec, b)
	if sec == migration.Up {
		o.rewrite = r.rewriter(c)
	}
	return o
}

// outsideTransaction adds disable_ddl_transaction! under the class line.
func (r *rails) outsideTransaction() (string, []migration.TextEdit) {
	at := r.t.lineEndAt(r.cls.start)
	indent := r.t.indentAt(r.cls.start) + "  "
	return "Run the migration outside a transaction: disable_ddl_transaction!",
		[]migration.TextEdit{{Start: at, End: at, NewText: "\n" + indent + "disable_ddl_transaction!\n"}}
}

// option writes a call option in the call's own hash syntax (algorithm: :x, or
// :algorithm => :x in older migrations).
func (r *rails) option(c *node, key, value string) string {
	if strings.Contains(string(r.t.src[c.start:c.end]), "=>") {
		return ":" + key + " => " + value
	}
	return key + ": " + value
}

// withOutside adds disable_ddl_transaction! to edits when the migration runs in a
// transaction.
func (r *rails) withOutside(edits ...migration.TextEdit) []migration.TextEdit {
	if r.t.wraps {
		_, out := r.outsideTransaction()
		edits = append(edits, out...)
	}
	return edits
}

// rewriter writes the safe forms of a call in the DSL.
func (r *rails) rewriter(c *node) rewriter {
	by := map[migration.Intent]func() (string, []migration.TextEdit){}
	if r.t.wraps {
		by[migration.OutsideTransaction] = r.outsideTransaction
	}
	switch c.name {
	case "add_index", "remove_index":
		by[migration.Concurrently] = func() (string, []migration.TextEdit) {
			e, ok := setOption(c, "algorithm", r.option(c, "algorithm", ":concurrently"))
			if !ok {
				return "", nil
			}
			return "Use algorithm: :concurrently with disable_ddl_transaction!", r.withOutside(e)
		}
	case "add_foreign_key", "add_check_constraint":
		by[migration.NotValid] = func() (string, []migration.TextEdit) {
			e, ok := setOption(c, "validate", r.option(c, "validate", "false"))
			if !ok {
				return "", nil
			}
			validate := r.validateLine(c)
			if validate == "" {
				return "", nil
			}
			at := r.t.lineEndAt(c.end)
			line := "\n" + r.t.indentAt(c.start) + validate
			edits := []migration.TextEdit{e, {Start: at, End: at, NewText: line}}
			if e.Start == at && e.End == at {
				// A call without parentheses ending its line: the option and the
				// validate line are inserted at one offset, which the fix planner
				// refuses as two edits (their order would be a guess).
				e.NewText += line
				edits = []migration.TextEdit{e}
			}
			return "Add it with validate: false, then validate it outside the transaction", r.withOutside(edits...)
		}
	}
	return rewrites(by)
}

// validateLine is the validate_foreign_key / validate_check_constraint call that
// follows an add with validate: false.
func (r *rails) validateLine(c *node) string {
	src := func(n *node) string { return string(r.t.src[n.start:n.end]) }
	if c.arg(0) == nil {
		return ""
	}
	if c.name == "add_foreign_key" {
		args := []string{src(c.arg(0))}
		if c.arg(1) != nil {
			args = append(args, src(c.arg(1)))
		}
		for _, k := range []string{"column", "name"} {
			if e, ok := c.optEntry(k); ok {
				args = append(args, string(r.t.src[e.start:e.end]))
			}
		}
		return "validate_foreign_key " + strings.Join(args, ", ")
	}
	name := r.checkName(c)
	if name == "" {
		return ""
	}
	return "validate_check_constraint " + src(c.arg(0)) + ", " + r.option(c, "name", ql(name))
}
