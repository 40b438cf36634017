package orm

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/migsafe/migsafe/engine/migration"
)

// The Django front end: migrations.Migration classes and the SQL Django's PostgreSQL
// schema editor emits for their operations (what `manage.py sqlmigrate` prints, checked
// against Django 3.2 itself in oracle_test.go). Operations are translated against the
// model state the app's earlier migrations build (Django's own project state), so
// AlterField knows the field it alters and table names follow <app_label>_<model>
// unless db_table says otherwise. A migration runs in one transaction unless
// `atomic = False`; indexes, unique constraints and foreign keys of the migration
// are created at its end, as Django defers them.

// djField is a model field as the migrations define it.
type djField struct {
	name, column string
	kind         string // CharField, ForeignKey, ...
	call         *node  // the models.X(...) call
	null, unique bool
	primaryKey   bool
	dbIndex      bool
	hasDefault   bool
	blank        bool
	// collation is db_collation, which Django writes as COLLATE after the type.
	collation string
	// to is the "app.Model" a relation points to; dbConstraint is false for
	// db_constraint=False.
	to           string
	toField      string
	dbConstraint bool
	// m2mTo is the "app.Model" a many-to-many field points to once a RenameModel
	// moved it (else its call says; see m2mTarget).
	m2mTo string
	// fk is the name of the field's foreign key in the database once it is no longer
	// the one its table, column and target give (fkName): renaming a table or a
	// column renames no constraint, and Django drops a key by the name it finds.
	fk string
}

// m2mTarget is the "app.Model" many-to-many field f of m points to.
func (f *djField) m2mTarget(m *djModel) string {
	if f.m2mTo != "" {
		return f.m2mTo
	}
	toNode := f.call.opt("to")
	if toNode == nil {
		toNode = f.call.arg(0)
	}
	to := toNode.word()
	if to == "" {
		to = toNode.path()
	}
	if to == "" || to == "self" {
		to = m.app + "." + m.name
	}
	return to
}

type djModel struct {
	app, name string // name as written (CamelCase)
	table     string
	fields    []*djField
	// uniqueTogether lists the column groups of unique_together; indexes the
	// models.Index calls of Meta.indexes and AddIndex.
	uniqueTogether [][]string
	indexes        []*node
	// order is when the model entered the state: Django's registry lists an app's
	// models in that order (a renamed one last), and so its related_objects.
	order int
}

func (m *djModel) field(name string) *djField {
	for _, f := range m.fields {
		if strings.EqualFold(f.name, name) {
			return f
		}
	}
	return nil
}

func (m *djModel) pk() *djField {
	for _, f := range m.fields {
		if f.primaryKey {
			return f
		}
	}
	return &djField{name: "id", column: "id", kind: "BigAutoField", primaryKey: true}
}

// djState is the model state of the apps replayed so far.
type djState struct {
	models map[string]*djModel // "app.model" in lower case
	added  int                 // models added so far (djModel.order)
	loaded map[string]bool     // apps whose migrations were replayed
	root   string              // the folder holding the app folders
	t      *translation
}

// add puts m in the state under its name, after the models there.
func (s *djState) add(m *djModel) {
	s.added++
	m.order = s.added
	s.models[strings.ToLower(m.app+"."+m.name)] = m
}

func (s *djState) model(app, name string) *djModel {
	return s.models[strings.ToLower(app+"."+name)]
}

// target finds a relation's model ("app.Model", "Model" in the same app), replaying its
// app's migrations when that app has not been seen yet.
func (s *djState) target(app, to string) (*djModel, string) {
	if to == "settings.AUTH_USER_MODEL" || to == "AUTH_USER_MODEL" {
		to = "auth.User"
	}
	a, m := app, to
	if i := strings.IndexByte(to, '.'); i >= 0 {
		a, m = to[:i], to[i+1:]
	}
	if !s.loaded[a] {
		s.loadApp(a, "")
	}
	if mod := s.model(a, m); mod != nil {
		return mod, mod.table
	}
	if table, ok := djContribTables[strings.ToLower(a+"."+m)]; ok {
		return &djModel{app: a, name: m, table: table, fields: []*djField{{name: "id", column: "id", kind: "AutoField", primaryKey: true}}}, table
	}
	return nil, strings.ToLower(a + "_" + m)
}

// djContribTables are the tables of the models of Django's own apps that projects
// point foreign keys at; their migrations are not in the project, and their tables
// are not <app>_<model> (db_table) and their keys integer (AutoField).
var djContribTables = map[string]string{
	"auth.user":                "auth_user",
	"auth.group":               "auth_group",
	"auth.permission":          "auth_permission",
	"contenttypes.contenttype": "django_content_type",
	"sites.site":               "django_site",
	"admin.logentry":           "django_admin_log",
}

func translateDjango(t *translation) {
	root, src := parsePython(t.src)
	t.read(src)
	cls := pyMigrationClass(root, "Migration")
	if cls == nil {
		t.note(0, 0, "this file defines no Django Migration class")
		return
	}
	appDir := filepath.Dir(filepath.Dir(t.path))
	app := filepath.Base(appDir)
	st := &djState{models: map[string]*djModel{}, loaded: map[string]bool{}, root: filepath.Dir(appDir), t: t}
	st.loadApp(app, filepath.Base(t.path))
	d := &django{t: t, st: st, app: app, cls: cls}
	ops := pyAssign(cls, "operations")
	if ops == nil || ops.kind != kList {
		t.note(cls.start, cls.end, "the migration's operations are not a list migsafe can read")
		return
	}
	if a := pyAssign(cls, "atomic"); a.falsy() {
		t.wraps = false
		d.nonAtomic = true
	} else {
		t.outside = d.outsideTransaction
	}
	t.downFound = true
	// Unapplying runs the operations' reverses last to first, each deferring its
	// indexes and constraints to the end of the down (of the operation, when not atomic).
	first := len(t.ops)
	var downDeferred [][]deferred
	for _, o := range ops.items() {
		d.operation(o, true)
		if d.nonAtomic {
			downDeferred = append(downDeferred, d.flush())
		}
	}
	downDeferred = append(downDeferred, d.flush())
	reverseDown(t.ops[first:])
	if d.nonAtomic {
		// Each reversed operation's deferred statements follow it: put them after the
		// down statements of their call.
		for i := len(downDeferred) - 1; i >= 0; i-- {
			for _, x := range downDeferred[i] {
				t.insertAfterCall(x.call, x.b)
			}
		}
		return
	}
	// In one transaction the reverses' deferred statements run at the end of the down,
	// in the order the reverses deferred them: the last operation's first.
	for _, x := range reverseOperations(downDeferred[0]) {
		x.b.pieces = nil
		t.add(x.call, migration.Down, x.b)
	}
}

// reverseOperations orders deferred statements of the down by operation, last to
// first, keeping each operation's own in order (a down's are attributed to their
// operation's call).
func reverseOperations(ds []deferred) []deferred {
	out := make([]deferred, 0, len(ds))
	for end := len(ds); end > 0; {
		start := end - 1
		for start > 0 && ds[start-1].call == ds[end-1].call {
			start--
		}
		out = append(out, ds[start:end]...)
		end = start
	}
	return out
}

// pyMigrationClass finds the class deriving from <something>.Migration.
func pyMigrationClass(root *node, base string) *node {
	var cls *node
	walk(root, func(n *node) bool {
		if cls == nil && n.kind == kClass && (n.super == base || strings.HasSuffix(n.super, "."+base)) {
			cls = n
		}
		return cls == nil
	})
	return cls
}

// pyAssign is the value of a class attribute.
func pyAssign(cls *node, name string) *node {
	for _, s := range cls.body {
		if s.kind == kAssign && (s.name == name || strings.HasPrefix(s.name, name+":")) {
			return s.args[0]
		}
	}
	return nil
}

// earlier caches the Migration classes of earlier migrations by content: every file of
// an app replays the app's history, and parsing it again for each would make a
// directory of n migrations cost n² parses. The cache is dropped whole when it grows
// past its bound.
var earlier = struct {
	sync.Mutex
	classes map[[32]byte]*node
}{classes: map[[32]byte]*node{}}

const earlierMax = 4096

func earlierMigration(data []byte) *node {
	key := sha256.Sum256(data)
	earlier.Lock()
	cls, ok := earlier.classes[key]
	earlier.Unlock()
	if ok {
		return cls
	}
	root, _ := parsePython(data)
	cls = pyMigrationClass(root, "Migration")
	earlier.Lock()
	if len(earlier.classes) >= earlierMax {
		earlier.classes = map[[32]byte]*node{}
	}
	earlier.classes[key] = cls
	earlier.Unlock()
	return cls
}

// loadApp replays the migrations of app that come before the file named upTo (all of
// them when upTo is ""), in dependency order within the app.
func (s *djState) loadApp(app, upTo string) {
	s.loaded[app] = true
	if s.t.opts.ReadDir == nil || s.t.opts.ReadFile == nil {
		return
	}
	dir := filepath.Join(s.root, app, "migrations")
	names, err := s.t.opts.ReadDir(dir)
	if err != nil {
		return
	}
	type mig struct {
		name string
		cls  *node
	}
	var migs []mig
	replaced := map[string]bool{}
	for _, p := range names {
		base := filepath.Base(p)
		if !djangoPath.MatchString(filepath.ToSlash(filepath.Join("migrations", base))) || upTo != "" && base >= upTo {
			continue
		}
		data, err := s.t.opts.ReadFile(p)
		if err != nil {
			continue
		}
		cls := earlierMigration(data)
		if cls == nil {
			continue
		}
		for _, r := range pyAssign(cls, "replaces").items() {
			if len(r.args) == 2 {
				replaced[r.args[1].word()] = true
			}
		}
		migs = append(migs, mig{strings.TrimSuffix(base, ".py"), cls})
	}
	sort.Slice(migs, func(i, j int) bool { return migs[i].name < migs[j].name })
	replay := &django{st: s, app: app, t: &translation{opts: s.t.opts}}
	for _, m := range migs {
		if replaced[m.name] {
			continue
		}
		for _, o := range pyAssign(m.cls, "operations").items() {
			replay.operation(o, false)
		}
	}
}

// django translates one migration's operations.
type django struct {
	t         *translation
	st        *djState
	app       string
	cls       *node // the Migration class (nil when replaying)
	nonAtomic bool
	// deferred are the statements Django's schema editor runs at the end of the
	// migration (indexes, unique constraints, foreign keys), with their calls.
	deferred []deferred
}

type deferred struct {
	call *node
	sec  migration.Section
	b    *sqlb
}

// emit records SQL when translating (not when replaying earlier migrations). Down
// statements are attributed to their operation as a whole: what they are built from
// may come from earlier migrations' files.
func (d *django) emit(c *node, sec migration.Section, b *sqlb) {
	if d.t.path == "" {
		return
	}
	if sec == migration.Down {
		b.pieces = nil
	}
	o := d.t.add(c, sec, b)
	if sec == migration.Up {
		o.rewrite = d.rewriter(c, o)
	}
}

// outsideTransaction sets atomic = False on the migration class.
func (d *django) outsideTransaction() (string, []migration.TextEdit) {
	const title = "Run the migration outside a transaction: atomic = False"
	for _, s := range d.cls.body {
		if s.kind == kAssign && s.name == "atomic" {
			return title, []migration.TextEdit{{Start: s.start, End: s.end, NewText: "atomic = False"}}
		}
	}
	at := d.t.lineEndAt(d.cls.start)
	return title, []migration.TextEdit{{Start: at, End: at, NewText: "\n" + d.t.indentAt(d.cls.start) + "    atomic = False\n"}}
}

// rewriter writes the safe forms of an operation: AddIndexConcurrently and
// RemoveIndexConcurrently (imported from django.contrib.postgres.operations) in a
// non-atomic migration, CONCURRENTLY in RunSQL.
func (d *django) rewriter(c *node, o *op) rewriter {
	by := map[migration.Intent]func() (string, []migration.TextEdit){}
	var outside func() (string, []migration.TextEdit)
	if d.t.wraps {
		outside = d.outsideTransaction
		by[migration.OutsideTransaction] = outside
	}
	switch {
	case c.name == "AddIndex" || c.name == "RemoveIndex":
		by[migration.Concurrently] = combine(d.concurrentOperation(c), outside)
	case o.raw:
		by[migration.Concurrently] = combine(d.t.rawConcurrently(o), outside)
	}
	return rewrites(by)
}

// concurrentOperation renames AddIndex/RemoveIndex to its Concurrently form and
// imports it.
func (d *django) concurrentOperation(c *node) func() (string, []migration.TextEdit) {
	return func() (string, []migration.TextEdit) {
		callee := string(d.t.src[c.start:c.end])
		paren := strings.IndexByte(callee, '(')
		if paren < 0 {
			return "", nil
		}
		op := c.name + "Concurrently"
		edits := []migration.TextEdit{{Start: c.start, End: c.start + paren, NewText: op}}
		src := string(d.t.src)
		const module = "from django.contrib.postgres.operations import"
		switch i := strings.Index(src, module); {
		case i >= 0 && strings.Contains(src[i:d.t.lineEndAt(i)], op):
		case i >= 0:
			at := d.t.lineEndAt(i)
			edits = append(edits, migration.TextEdit{Start: at, End: at, NewText: ", " + op})
		default:
			at := 0
			if j := strings.Index(src, "from django.db import"); j >= 0 {
				at = d.t.lineStartAt(j)
			}
			edits = append(edits, migration.TextEdit{Start: at, End: at, NewText: module + " " + op + "\n"})
		}
		return "Use " + op + " in a migration with atomic = False", edits
	}
}

func (d *django) defer_(c *node, sec migration.Section, b *sqlb) {
	if d.t.path != "" {
		d.deferred = append(d.deferred, deferred{c, sec, b})
	}
}

// flush emits the deferred statements of the up (at the end of the migration, or of
// each operation in a non-atomic migration) and returns those of the down, which run
// at the end of unapplying.
func (d *django) flush() (down []deferred) {
	for _, x := range d.deferred {
		if x.sec == migration.Down {
			down = append(down, x)
			continue
		}
		d.t.add(x.call, migration.Up, x.b)
	}
	d.deferred = nil
	return down
}

// unknown notes an operation not translated; Django unapplies it too (its reverse),
// so the down runs what migsafe does not see.
func (d *django) unknown(c *node, what string) {
	if d.t.path != "" {
		d.t.unknown(c, what)
		d.t.downOpaque = true
	}
}

// operation translates (emit) or only replays one operation into the state.
func (d *django) operation(o *node, emit bool) {
	if o.kind != kCall {
		if emit {
			d.unknown(o, "an operation migsafe cannot read")
		}
		return
	}
	name := o.name
	if h, ok := djangoOps[name]; ok {
		h(d, o)
		return
	}
	switch name {
	case "AlterModelOptions", "AlterModelManagers", "AlterOrderWithRespectTo":
		// Django state only: no SQL.
	default:
		d.unknown(o, "`"+name+"`")
	}
}

var djangoOps map[string]func(d *django, o *node)

func init() {
	djangoOps = map[string]func(d *django, o *node){
		"CreateModel":              (*django).createModel,
		"DeleteModel":              (*django).deleteModel,
		"AddField":                 (*django).addField,
		"RemoveField":              (*django).removeField,
		"AlterField":               (*django).alterField,
		"RenameField":              (*django).renameField,
		"RenameModel":              (*django).renameModel,
		"AlterModelTable":          (*django).alterModelTable,
		"AddIndex":                 (*django).addIndex,
		"AddIndexConcurrently":     (*django).addIndex,
		"RemoveIndex":              (*django).removeIndex,
		"RemoveIndexConcurrently":  (*django).removeIndex,
		"AddConstraint":            (*django).addConstraint,
		"RemoveConstraint":         (*django).removeConstraint,
		"AlterUniqueTogether":      (*django).alterUniqueTogether,
		"AlterIndexTogether":       func(d *django, o *node) {},
		"RunSQL":                   (*django).runSQL,
		"RunPython":                (*django).runPython,
		"SeparateDatabaseAndState": (*django).separate,
	}
}

// modelArg reads model_name= (or name= for model operations).
func (d *django) modelArg(o *node, key string, pos int) (*djModel, bool) {
	n := o.opt(key)
	if n == nil {
		n = o.arg(pos)
	}
	name := n.word()
	m := d.st.model(d.app, name)
	if m == nil {
		d.unknown(o, fmt.Sprintf("`%s` on model %q, which the app's earlier migrations do not create", o.name, name))
		return nil, false
	}
	return m, true
}

// field reads a models.X(...) call.
func (d *django) field(name string, n *node) *djField {
	f := &djField{name: name, column: name, call: n, dbConstraint: true}
	if n == nil || n.kind != kCall {
		return f
	}
	f.kind = n.name
	// Subclasses of ForeignKey (mptt's TreeForeignKey) are foreign keys.
	if strings.HasSuffix(f.kind, "ForeignKey") {
		f.kind = "ForeignKey"
	}
	f.null = n.opt("null").truthy()
	f.unique = n.opt("unique").truthy()
	f.primaryKey = n.opt("primary_key").truthy()
	f.blank = n.opt("blank").truthy()
	_, f.hasDefault = n.optEntry("default")
	if db := n.opt("db_column").word(); db != "" {
		f.column = db
	}
	f.collation = n.opt("db_collation").word()
	switch f.kind {
	case "AutoField", "BigAutoField", "SmallAutoField":
		f.primaryKey = true
	case "ForeignKey", "OneToOneField":
		to := n.opt("to")
		if to == nil {
			to = n.arg(0)
		}
		f.to = to.word()
		if f.to == "" {
			f.to = to.path()
		}
		f.toField = n.opt("to_field").word()
		if n.opt("db_column").word() == "" {
			f.column = name + "_id"
		}
		f.dbIndex = true
		if f.kind == "OneToOneField" {
			f.unique = true
		}
		if n.opt("db_constraint").falsy() {
			f.dbConstraint = false
		}
	case "SlugField":
		f.dbIndex = true
	case "ManyToManyField", "GenericRelation", "GenericForeignKey":
		f.column = ""
	}
	// Managers (django-taggit's TaggableManager) are relations through other tables.
	if strings.HasSuffix(f.kind, "Manager") {
		f.kind, f.column = "ManyToManyField", ""
	}
	if v := n.opt("db_index"); v != nil {
		f.dbIndex = v.truthy()
	}
	if f.primaryKey {
		f.null = false
	}
	return f
}

// dbType is the PostgreSQL type Django's backend gives a field.
func (d *django) dbType(m *djModel, f *djField) string {
	n := f.call
	maxLength := n.opt("max_length").num()
	switch f.kind {
	case "AutoField":
		return "serial"
	case "BigAutoField":
		return "bigserial"
	case "SmallAutoField":
		return "smallserial"
	case "CharField", "SlugField", "FileField", "ImageField", "FilePathField", "EmailField", "URLField":
		if maxLength == "" {
			maxLength = map[string]string{"SlugField": "50", "EmailField": "254", "URLField": "200", "FileField": "100", "ImageField": "100", "FilePathField": "100"}[f.kind]
		}
		if maxLength == "" {
			return "varchar"
		}
		return "varchar(" + maxLength + ")"
	case "TextField":
		return "text"
	case "IntegerField", "PositiveIntegerField":
		return "integer"
	case "BigIntegerField", "PositiveBigIntegerField":
		return "bigint"
	case "SmallIntegerField", "PositiveSmallIntegerField":
		return "smallint"
	case "BooleanField", "NullBooleanField":
		return "boolean"
	case "DateTimeField":
		return "timestamp with time zone"
	case "DateField":
		return "date"
	case "TimeField":
		return "time"
	case "DurationField":
		return "interval"
	case "DecimalField":
		return fmt.Sprintf("numeric(%s, %s)", n.opt("max_digits").num(), n.opt("decimal_places").num())
	case "FloatField":
		return "double precision"
	case "UUIDField":
		return "uuid"
	case "JSONField":
		return "jsonb"
	case "BinaryField":
		return "bytea"
	case "GenericIPAddressField", "IPAddressField":
		return "inet"
	case "IntegerRangeField":
		return "int4range"
	case "BigIntegerRangeField":
		return "int8range"
	case "DecimalRangeField":
		return "numrange"
	case "DateTimeRangeField":
		return "tstzrange"
	case "DateRangeField":
		return "daterange"
	case "HStoreField":
		return "hstore"
	case "CICharField", "CIEmailField", "CITextField":
		return "citext"
	case "ArrayField":
		base := d.field("", n.opt("base_field"))
		if n.opt("base_field") == nil {
			base = d.field("", n.arg(0))
		}
		return d.dbType(m, base) + "[]"
	case "ForeignKey", "OneToOneField":
		target, _ := d.st.target(m.app, f.to)
		pk := &djField{kind: "BigAutoField"}
		if target != nil {
			pk = target.pk()
			if f.toField != "" && target.field(f.toField) != nil {
				pk = target.field(f.toField)
			}
		}
		t := d.dbType(target, pk)
		if base, ok := serialBase[t]; ok {
			return base
		}
		return t
	}
	return "dyn_" + strings.ToLower(f.kind)
}

// unknownType reports the placeholder dbType gives a field class it does not know.
func unknownType(t string) bool { return strings.HasPrefix(t, "dyn_") }

// serialBase is the integer type of each serial pseudo-type.
var serialBase = map[string]string{"serial": "integer", "bigserial": "bigint", "smallserial": "smallint"}

// check is the inline CHECK of positive integer fields.
func (f *djField) check() string {
	switch f.kind {
	case "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField":
		return fmt.Sprintf("CHECK (%s >= 0)", qi(f.column))
	}
	return ""
}

// effectiveDefault is the default Django writes when adding the column (then drops):
// the field's default, or ” for a non-null blank text field.
func (d *django) effectiveDefault(f *djField) (string, bool) {
	if f.hasDefault {
		v := f.call.opt("default")
		if lit, ok := literal(v); ok && v.kind != kNull {
			if v.kind == kBool {
				return strings.ToLower(v.raw), true
			}
			return lit, true
		}
		if v.kind == kNull {
			return "", false
		}
		// A callable or expression: Django evaluates it in Python and sends the value,
		// a constant.
		return "'dyn_default'", true
	}
	if !f.null && f.blank && d.emptyStringsAllowed(f) {
		return "''", true
	}
	return "", false
}

// emptyStringsAllowed is Django's Field.empty_strings_allowed, which gives a non-null
// blank field the empty string as its effective default: the string fields. A field
// class of the project's own taking max_length is a CharField subclass (netbox's
// ColorField, NaturalOrderingField): without the DEFAULT Django sends, its AddField
// would read as a NOT NULL column without one, which fails on any existing row.
func (d *django) emptyStringsAllowed(f *djField) bool {
	switch f.kind {
	case "CharField", "TextField", "SlugField", "EmailField", "URLField", "FileField", "ImageField", "FilePathField", "CICharField", "CIEmailField", "CITextField":
		return true
	case "ForeignKey", "OneToOneField", "ManyToManyField":
		return false
	}
	if f.call == nil {
		return false
	}
	_, ok := f.call.optEntry("max_length")
	return ok && unknownType(d.dbType(nil, f))
}

// columnSQL is Django's column_sql: type, DEFAULT (when adding), NULL / NOT NULL,
// PRIMARY KEY / UNIQUE, and the inline check.
func (d *django) columnSQL(b *sqlb, m *djModel, f *djField, withDefault bool) {
	b.from(f.call, d.dbType(m, f))
	if f.collation != "" {
		b.w(" COLLATE ", qi(f.collation))
	}
	if withDefault {
		if v, ok := d.effectiveDefault(f); ok {
			b.w(" DEFAULT ", v)
		}
	}
	if f.null {
		b.w(" NULL")
	} else {
		b.markNode(nullEntryNode(f.call), func() { b.w(" NOT NULL") })
	}
	if f.primaryKey {
		b.w(" PRIMARY KEY")
	} else if f.unique {
		b.w(" UNIQUE")
	}
	if c := f.check(); c != "" {
		b.w(" ", c)
	}
}

// nullEntryNode is the null= keyword of a field call, or the call itself.
func nullEntryNode(n *node) *node {
	if e, ok := n.optEntry("null"); ok {
		return &node{start: e.start, end: e.end}
	}
	return n
}

// djName is Django's _create_index_name: <table>_<columns>_<md5 digest><suffix>,
// shortened to 63 characters as Django shortens it.
func djName(table string, cols []string, suffix string) string {
	if i := strings.LastIndexByte(table, '.'); i >= 0 {
		table = table[i+1:]
	}
	h := md5.New()
	h.Write([]byte(table))
	for _, c := range cols {
		h.Write([]byte(c))
	}
	hash := hex.EncodeToString(h.Sum(nil))[:8] + suffix
	const max = 63
	name := fmt.Sprintf("%s_%s_%s", table, strings.Join(cols, "_"), hash)
	if len(name) <= max {
		return name
	}
	if len(hash) > max/3 {
		hash = hash[:max/3]
	}
	other := (max-len(hash))/2 - 1
	joined := strings.Join(cols, "_")
	name = fmt.Sprintf("%s_%s_%s", truncate(table, other), truncate(joined, other), hash)
	if name[0] == '_' || name[0] >= '0' && name[0] <= '9' {
		name = "D" + name[:len(name)-1]
	}
	return name
}

// djThroughTable is the table Django makes for a ManyToManyField without a through
// model: db_table, or <table>_<field>, shortened as truncate_name shortens it. ok is
// false for other relations (a through model, a taggit manager, a generic relation).
func djThroughTable(m *djModel, f *djField) (string, bool) {
	if f.kind != "ManyToManyField" || f.call == nil || !strings.HasSuffix(f.call.name, "ManyToManyField") || f.call.opt("through") != nil {
		return "", false
	}
	if t := f.call.opt("db_table").word(); t != "" {
		return t, true
	}
	table := m.table
	if i := strings.LastIndexByte(table, '.'); i >= 0 {
		table = table[i+1:]
	}
	name := table + "_" + strings.ToLower(f.name)
	const max = 63
	if len(name) > max {
		h := md5.Sum([]byte(name))
		name = name[:max-4] + hex.EncodeToString(h[:])[:4]
	}
	return name, true
}

// autoThrough is the model Django makes for a ManyToManyField without a through model
// (create_many_to_many_intermediary_model), whose table schema_editor creates and drops
// with the field or its model: an id, a foreign key to each side named after the
// models (from_<model> and to_<model> when both are the same one), db_constraint as
// the field has it, the pair unique together. Its id is a BigAutoField, the default
// pk() assumes too (DEFAULT_AUTO_FIELD, which the project's settings may say
// otherwise). ok is false where djThroughTable's is.
func (d *django) autoThrough(m *djModel, f *djField) (*djModel, bool) {
	table, ok := djThroughTable(m, f)
	if !ok {
		return nil, false
	}
	to := f.m2mTarget(m)
	toModel := to
	if i := strings.LastIndexByte(toModel, '.'); i >= 0 {
		toModel = toModel[i+1:]
	}
	if target, _ := d.st.target(m.app, to); target != nil {
		toModel = target.name
	}
	from, other := strings.ToLower(m.name), strings.ToLower(toModel)
	if from == other {
		from, other = "from_"+from, "to_"+other
	}
	constraint := !f.call.opt("db_constraint").falsy()
	return &djModel{app: m.app, name: m.name + "_" + f.name, table: table,
		fields: []*djField{
			{name: "id", column: "id", kind: "BigAutoField", primaryKey: true},
			{name: from, column: from + "_id", kind: "ForeignKey", to: m.app + "." + m.name, dbIndex: true, dbConstraint: constraint},
			{name: other, column: other + "_id", kind: "ForeignKey", to: to, dbIndex: true, dbConstraint: constraint},
		},
		uniqueTogether: [][]string{{from + "_id", other + "_id"}},
	}, true
}

// autoThroughs are the auto-created through models of a model's many-to-many fields,
// in field order (the order schema_editor creates and drops their tables in).
func (d *django) autoThroughs(m *djModel) []*djModel {
	var out []*djModel
	for _, f := range m.fields {
		if tm, ok := d.autoThrough(m, f); ok {
			out = append(out, tm)
		}
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// fkName and fkSQL describe a relation's foreign key.
func (d *django) fkTarget(m *djModel, f *djField) (table, column string) {
	target, table := d.st.target(m.app, f.to)
	column = "id"
	if target != nil {
		column = target.pk().column
		if f.toField != "" && target.field(f.toField) != nil {
			column = target.field(f.toField).column
		}
	}
	return table, column
}

func (d *django) fkName(m *djModel, f *djField) string {
	table, column := d.fkTarget(m, f)
	return djName(m.table, []string{f.column}, fmt.Sprintf("_fk_%s_%s", table, column))
}

// existingFK is the name of field f's foreign key in the database (see djField.fk).
func (d *django) existingFK(m *djModel, f *djField) string {
	if f.fk != "" {
		return f.fk
	}
	return d.fkName(m, f)
}

// keepFKNames records, before a rename of table or column names, the names the
// foreign keys of fields keep.
func (d *django) keepFKNames(m *djModel, fields ...*djField) {
	for _, f := range fields {
		if f.to != "" && f.dbConstraint {
			f.fk = d.existingFK(m, f)
		}
	}
}

// fieldIndexes are the deferred indexes of a field: db_index, and the _like index of
// varchar and text columns that are indexed or unique.
func (d *django) fieldIndexes(c *node, m *djModel, f *djField, sec migration.Section) {
	if f.dbIndex && !f.unique {
		var b sqlb
		b.w("CREATE INDEX ", qi(djName(m.table, []string{f.column}, "")), " ON ", qi(m.table), " (", qi(f.column), ")")
		d.defer_(c, sec, &b)
	}
	if f.dbIndex || f.unique {
		typ := d.dbType(m, f)
		ops := ""
		switch {
		case strings.HasPrefix(typ, "varchar"):
			ops = "varchar_pattern_ops"
		case strings.HasPrefix(typ, "text"):
			ops = "text_pattern_ops"
		}
		if ops != "" && !strings.Contains(typ, "[") && f.kind != "ForeignKey" && f.kind != "OneToOneField" {
			var b sqlb
			b.w("CREATE INDEX ", qi(djName(m.table, []string{f.column}, "_like")), " ON ", qi(m.table), " (", qi(f.column), " ", ops, ")")
			d.defer_(c, sec, &b)
		}
	}
}

func (d *django) createModel(o *node) {
	name := o.opt("name").word()
	if name == "" {
		name = o.arg(0).word()
	}
	m := &djModel{app: d.app, name: name, table: strings.ToLower(d.app + "_" + name)}
	options := o.opt("options")
	if t := options.opt("db_table").word(); t != "" {
		m.table = t
	}
	fields := o.opt("fields")
	if fields == nil {
		fields = o.arg(1)
	}
	for _, ft := range fields.items() {
		if ft.kind == kList && len(ft.args) == 2 {
			m.fields = append(m.fields, d.field(ft.args[0].word(), ft.args[1]))
		}
	}
	for _, ut := range djangoTogether(options.opt("unique_together")) {
		m.uniqueTogether = append(m.uniqueTogether, columnsOf(m, ut))
	}
	m.indexes = append(m.indexes, optionIndexes(options)...)
	d.st.add(m)
	if d.t.path == "" {
		return
	}
	d.createTable(o, m, optionConstraints(options), migration.Up)
	d.dropTable(o, m, migration.Down)
}

// dropTable is schema_editor.delete_model: the tables of the model's auto-created
// through models, then its own.
func (d *django) dropTable(o *node, m *djModel, sec migration.Section) {
	for _, tm := range d.autoThroughs(m) {
		var b sqlb
		b.w("DROP TABLE ", qi(tm.table), " CASCADE")
		d.emit(o, sec, &b)
	}
	var b sqlb
	if sec == migration.Up {
		b.w("DROP TABLE ").from(o.opt("name"), qi(m.table)).w(" CASCADE")
	} else {
		b.w("DROP TABLE ", qi(m.table), " CASCADE")
	}
	d.emit(o, sec, &b)
}

// createTable emits CREATE TABLE for a model state, and defers its unique_together,
// foreign keys and indexes as Django's create_model does.
func (d *django) createTable(o *node, m *djModel, constraints []*node, sec migration.Section) {
	var b sqlb
	b.w("CREATE TABLE ", qi(m.table), " (")
	n := 0
	for _, f := range m.fields {
		if f.column == "" {
			continue
		}
		if n > 0 {
			b.w(", ")
		}
		n++
		b.from(f.call, qi(f.column)).w(" ")
		d.columnSQL(&b, m, f, false)
	}
	for _, c := range constraints {
		if sql := d.constraintSQL(m, c, true); sql != "" {
			b.w(", ").from(c, sql)
		}
	}
	b.w(")")
	d.emit(o, sec, &b)
	for _, cols := range m.uniqueTogether {
		var u sqlb
		u.w("ALTER TABLE ", qi(m.table), " ADD CONSTRAINT ", qi(djName(m.table, cols, "_uniq")), " UNIQUE (", qis(cols), ")")
		d.defer_(o, sec, &u)
	}
	for _, f := range m.fields {
		if f.to != "" && f.dbConstraint {
			table, column := d.fkTarget(m, f)
			d.defer_(mapNode(o, f.call, sec), sec, addFKSQL(m.table, d.fkName(m, f), f.column, table, column))
		}
	}
	for _, f := range m.fields {
		if f.column != "" {
			d.fieldIndexes(mapNode(o, f.call, sec), m, f, sec)
		}
	}
	for _, idx := range m.indexes {
		d.indexSQL(o, m, idx, sec, false)
	}
	// create_model goes on with the tables of the auto-created through models, whose
	// constraints and indexes it defers after the model's.
	for _, tm := range d.autoThroughs(m) {
		d.createTable(o, tm, nil, sec)
	}
}

// mapNode is the node a statement is attributed to: the field in the migration being
// translated, the operation itself when the field comes from an earlier migration's
// state (a down that recreates it).
func mapNode(o, field *node, sec migration.Section) *node {
	if sec == migration.Down || field == nil || field.start < o.start || field.end > o.end {
		return o
	}
	return field
}

// djangoTogether reads unique_together: a tuple of field tuples, or one tuple.
func djangoTogether(n *node) [][]string {
	if n == nil {
		return nil
	}
	var out [][]string
	if n.kind == kList && len(n.args) > 0 && n.args[0].kind != kList {
		return [][]string{n.words()}
	}
	for _, e := range n.args {
		if ws := e.words(); len(ws) > 0 {
			out = append(out, ws)
		}
	}
	return out
}

func columnsOf(m *djModel, fields []string) []string {
	cols := make([]string, len(fields))
	for i, f := range fields {
		cols[i] = f
		if fd := m.field(f); fd != nil {
			cols[i] = fd.column
		}
	}
	return cols
}

func optionConstraints(options *node) []*node {
	return options.opt("constraints").items()
}

func optionIndexes(options *node) []*node {
	return options.opt("indexes").items()
}

func (d *django) deleteModel(o *node) {
	m, ok := d.modelArg(o, "name", 0)
	if !ok {
		return
	}
	delete(d.st.models, strings.ToLower(d.app+"."+m.name))
	if d.t.path == "" {
		return
	}
	d.dropTable(o, m, migration.Up)
	// Unapplying recreates the table, empty, from the model state.
	d.createTable(o, m, nil, migration.Down)
}

// untranslatedDown marks the down as one Django runs but migsafe does not write out.
func (d *django) untranslatedDown(o *node, _ string) {
	if d.t.path != "" {
		d.t.downOpaque = true
	}
}

func (d *django) addField(o *node) {
	m, ok := d.modelArg(o, "model_name", 0)
	if !ok {
		return
	}
	name := o.opt("name").word()
	f := d.field(name, o.opt("field"))
	preserve := o.opt("preserve_default")
	m.fields = append(m.fields, f)
	if d.t.path == "" || f.column == "" {
		if d.t.path == "" {
			return
		}
		// A many-to-many field without a through model of the project's is a table of
		// its own, which Django creates (and drops when unapplying).
		if tm, ok := d.autoThrough(m, f); ok {
			d.createTable(o, tm, nil, migration.Up)
			var b sqlb
			b.w("DROP TABLE ", qi(tm.table), " CASCADE")
			d.emit(o, migration.Down, &b)
		} else if f.kind == "ManyToManyField" && f.call != nil && !strings.HasSuffix(f.call.name, "ManyToManyField") {
			d.unknown(o, "`AddField` of a ManyToManyField (its through table)")
		}
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(m.table), " ADD COLUMN ").from(o.opt("name"), qi(f.column)).w(" ")
	d.columnSQL(&b, m, f, true)
	if f.to != "" && f.dbConstraint {
		table, column := d.fkTarget(m, f)
		name := d.fkName(m, f)
		b.w(" CONSTRAINT ", qi(name), " REFERENCES ", qi(table), "(", qi(column), ") DEFERRABLE INITIALLY DEFERRED; SET CONSTRAINTS ", qi(name), " IMMEDIATE")
	}
	d.emit(o, migration.Up, &b)
	if _, ok := d.effectiveDefault(f); ok {
		var dd sqlb
		dd.w("ALTER TABLE ", qi(m.table), " ALTER COLUMN ", qi(f.column), " DROP DEFAULT")
		d.emit(o, migration.Up, &dd)
	}
	_ = preserve
	d.fieldIndexes(o, m, f, migration.Up)
	d.dropColumnDown(o, m, f)
}

// dropForeignKey drops the foreign key of field f as Django does: checked at once
// (SET CONSTRAINTS ... IMMEDIATE, it is deferrable), then dropped.
func (d *django) dropForeignKey(o *node, m *djModel, f *djField, sec migration.Section) {
	d.emit(o, sec, dropFKSQL(m.table, d.existingFK(m, f)))
}

// dropFKSQL is how Django drops foreign key name of table: checked at once (SET
// CONSTRAINTS ... IMMEDIATE, it is deferrable), then dropped.
func dropFKSQL(table, name string) *sqlb {
	var b sqlb
	b.w("SET CONSTRAINTS ", qi(name), " IMMEDIATE; ALTER TABLE ", qi(table), " DROP CONSTRAINT ", qi(name))
	return &b
}

// addFKSQL is how Django adds foreign key name on table's column, referencing
// refTable's refColumn: deferrable, checked at commit.
func addFKSQL(table, name, column, refTable, refColumn string) *sqlb {
	var b sqlb
	b.w("ALTER TABLE ", qi(table), " ADD CONSTRAINT ", qi(name), " FOREIGN KEY (", qi(column), ") REFERENCES ", qi(refTable), " (", qi(refColumn), ") DEFERRABLE INITIALLY DEFERRED")
	return &b
}

// dropColumnDown is the down of AddField: drop the foreign key, then the column.
func (d *django) dropColumnDown(o *node, m *djModel, f *djField) {
	if f.to != "" && f.dbConstraint {
		d.dropForeignKey(o, m, f, migration.Down)
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(m.table), " DROP COLUMN ", qi(f.column), " CASCADE")
	d.emit(o, migration.Down, &b)
}

func (d *django) removeField(o *node) {
	m, ok := d.modelArg(o, "model_name", 0)
	if !ok {
		return
	}
	name := o.opt("name").word()
	f := m.field(name)
	if f == nil {
		d.unknown(o, fmt.Sprintf("`RemoveField` of %s.%s, which the earlier migrations do not create", m.name, name))
		return
	}
	for i, x := range m.fields {
		if x == f {
			m.fields = append(m.fields[:i:i], m.fields[i+1:]...)
			break
		}
	}
	if f.column == "" {
		// A many-to-many field lives in its through table, which Django drops.
		if tm, ok := d.autoThrough(m, f); ok && d.t.path != "" {
			var b sqlb
			b.w("DROP TABLE ").from(o.opt("name"), qi(tm.table)).w(" CASCADE")
			d.emit(o, migration.Up, &b)
			// Unapplying creates the table again, empty.
			d.createTable(o, tm, nil, migration.Down)
		}
		return
	}
	if f.to != "" && f.dbConstraint {
		d.dropForeignKey(o, m, f, migration.Up)
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(m.table), " DROP COLUMN ").from(o.opt("name"), qi(f.column)).w(" CASCADE")
	d.emit(o, migration.Up, &b)
	// Unapplying adds the column back (empty): Django can, the data is gone.
	if d.t.path != "" {
		var a sqlb
		a.w("ALTER TABLE ", qi(m.table), " ADD COLUMN ", qi(f.column), " ")
		d.columnSQL(&a, m, f, true)
		d.emit(o, migration.Down, &a)
	}
}

func (d *django) alterField(o *node) {
	m, ok := d.modelArg(o, "model_name", 0)
	if !ok {
		return
	}
	name := o.opt("name").word()
	old := m.field(name)
	nf := d.field(name, o.opt("field"))
	if old == nil {
		d.unknown(o, fmt.Sprintf("`AlterField` of %s.%s, whose previous definition the earlier migrations do not give", m.name, name))
		m.fields = append(m.fields, nf)
		return
	}
	for i, x := range m.fields {
		if x == old {
			m.fields[i] = nf
		}
	}
	if !d.fkChanged(m, old, nf) && nf.to != "" && nf.dbConstraint {
		nf.fk = old.fk // kept, under the name it has
	}
	if d.t.path == "" {
		return
	}
	if old.column == "" || nf.column == "" {
		d.unknown(o, "`AlterField` of a many-to-many field (its through table)")
		return
	}
	d.alter(o, m, old, nf, migration.Up)
	d.alter(o, m, nf, old, migration.Down)
}

// fkChanged says whether altering field old of m into nf drops its foreign key.
func (d *django) fkChanged(m *djModel, old, nf *djField) bool {
	return old.to != "" && old.dbConstraint && (nf.to == "" || !nf.dbConstraint || old.to != nf.to || old.column != nf.column || d.dbType(m, old) != d.dbType(m, nf))
}

// alter is Django's _alter_field for the changes migsafe models: foreign key, unique,
// index, column name, type, nullability (with the four-step default backfill).
func (d *django) alter(o *node, m *djModel, old, nf *djField, sec migration.Section) {
	emit := func(parts ...string) {
		var b sqlb
		b.w(parts...)
		d.emit(o, sec, &b)
	}
	fkChanged := d.fkChanged(m, old, nf)
	if fkChanged {
		d.dropForeignKey(o, m, old, sec)
	}
	if old.unique && !nf.unique {
		emit("ALTER TABLE ", qi(m.table), " DROP CONSTRAINT ", qi(djName(m.table, []string{old.column}, "_uniq")))
	}
	if old.dbIndex && !old.unique && (!nf.dbIndex || nf.unique) {
		emit("DROP INDEX IF EXISTS ", qi(djName(m.table, []string{old.column}, "")))
	}
	if old.column != nf.column {
		emit("ALTER TABLE ", qi(m.table), " RENAME COLUMN ", qi(old.column), " TO ", qi(nf.column))
	}
	var actions, post []string
	oldType, newType := d.dbType(m, old), d.dbType(m, nf)
	if unknownType(oldType) || unknownType(newType) {
		// A field class of the project's own: its db_type is code migsafe does not run.
		if sec == migration.Up {
			d.unknown(o, fmt.Sprintf("the column type of %s (a field class migsafe does not know)", nf.kind))
		}
	} else if old.collation != nf.collation {
		// Django's _alter_column_collation_sql: the type again with the new collation
		// (none: the type alone), which also carries a type change.
		a := "ALTER COLUMN " + qi(nf.column) + " TYPE " + newType
		if nf.collation != "" {
			a += " COLLATE " + qi(nf.collation)
		}
		actions = append(actions, a)
	} else if oldType != newType {
		// serial is no type a column can change to: Django (3.2) changes it to the
		// integer type and recreates the sequence behind its default; from a serial to
		// another type it drops the sequence.
		colType := newType
		seq := m.table + "_" + nf.column + "_seq"
		if base, ok := serialBase[newType]; ok {
			colType = base
			post = append(post, "DROP SEQUENCE IF EXISTS "+qi(seq)+" CASCADE", "CREATE SEQUENCE "+qi(seq),
				"ALTER TABLE "+qi(m.table)+" ALTER COLUMN "+qi(nf.column)+" SET DEFAULT nextval("+ql(qi(seq))+")",
				"SELECT setval("+ql(qi(seq))+", MAX("+qi(nf.column)+")) FROM "+qi(m.table),
				"ALTER SEQUENCE "+qi(seq)+" OWNED BY "+qi(m.table)+"."+qi(nf.column))
		} else if _, ok := serialBase[oldType]; ok {
			post = append(post, "DROP SEQUENCE IF EXISTS "+qi(seq)+" CASCADE")
		}
		a := "ALTER COLUMN " + qi(nf.column) + " TYPE " + colType
		if d.djTemplate(m, old) != d.djTemplate(m, nf) {
			a += " USING " + qi(nf.column) + "::" + colType
		}
		actions = append(actions, a)
	}
	// Made NOT NULL with an effective default, Django sets it as the column's default
	// for the ALTER (then drops it); only a default of the field's own (has_default,
	// not the empty string of a blank text field) also backfills the NULLs first, the
	// four-way alteration. Without one the SET NOT NULL fails on any NULL row.
	def, hasDef := d.effectiveDefault(nf)
	needsDefault := old.null && !nf.null && hasDef && def != ""
	fourWay := needsDefault && nf.hasDefault
	if needsDefault {
		actions = append(actions, "ALTER COLUMN "+qi(nf.column)+" SET DEFAULT "+def)
	}
	var nullAction string
	if old.null != nf.null {
		if nf.null {
			nullAction = "ALTER COLUMN " + qi(nf.column) + " DROP NOT NULL"
		} else {
			nullAction = "ALTER COLUMN " + qi(nf.column) + " SET NOT NULL"
		}
	}
	if nullAction != "" && !fourWay {
		actions = append(actions, nullAction)
	}
	if len(actions) > 0 {
		var b sqlb
		b.w("ALTER TABLE ", qi(m.table), " ")
		if sec == migration.Up {
			b.from(o.opt("field"), strings.Join(actions, ", "))
		} else {
			b.w(strings.Join(actions, ", "))
		}
		d.emit(o, sec, &b)
	}
	if fourWay {
		emit("UPDATE ", qi(m.table), " SET ", qi(nf.column), " = ", def, " WHERE ", qi(nf.column), " IS NULL")
		emit("ALTER TABLE ", qi(m.table), " ", nullAction)
	}
	if needsDefault {
		emit("ALTER TABLE ", qi(m.table), " ALTER COLUMN ", qi(nf.column), " DROP DEFAULT")
	}
	for _, sql := range post {
		emit(sql)
	}
	if nf.unique && !old.unique {
		emit("ALTER TABLE ", qi(m.table), " ADD CONSTRAINT ", qi(djName(m.table, []string{nf.column}, "_uniq")), " UNIQUE (", qi(nf.column), ")")
	}
	if (!old.dbIndex || old.unique) && nf.dbIndex && !nf.unique {
		emit("CREATE INDEX ", qi(djName(m.table, []string{nf.column}, "")), " ON ", qi(m.table), " (", qi(nf.column), ")")
	}
	if nf.to != "" && nf.dbConstraint && (fkChanged || old.to == "" || !old.dbConstraint) {
		table, column := d.fkTarget(m, nf)
		d.emit(o, sec, addFKSQL(m.table, d.fkName(m, nf), nf.column, table, column))
	}
	if c := nf.check(); c != "" && c != old.check() {
		emit("ALTER TABLE ", qi(m.table), " ADD CONSTRAINT ", qi(djName(m.table, []string{nf.column}, "_check")), " ", c)
	}
}

// djTemplate is the data type template Django compares to decide on USING
// (_field_data_type): the same for varchar(10) and varchar(20); for a relation, the
// type of the key it points at (rel_db_type), so a foreign key moved to a model with
// another key type is cast.
func (d *django) djTemplate(m *djModel, f *djField) string {
	switch f.kind {
	case "ForeignKey", "OneToOneField":
		return d.dbType(m, f)
	case "CharField", "SlugField", "EmailField", "URLField", "FileField", "ImageField", "FilePathField":
		return "varchar"
	case "DecimalField":
		return "numeric"
	}
	return f.kind
}

func (d *django) renameField(o *node) {
	m, ok := d.modelArg(o, "model_name", 0)
	if !ok {
		return
	}
	from, to := o.opt("old_name").word(), o.opt("new_name").word()
	f := m.field(from)
	if f == nil {
		d.unknown(o, fmt.Sprintf("`RenameField` of %s.%s, which the earlier migrations do not create", m.name, from))
		return
	}
	oldCol := f.column
	if oldCol == "" {
		oldThrough, ok := djThroughTable(m, f)
		f.name = to
		newThrough, _ := djThroughTable(m, f)
		if !ok {
			d.unknown(o, "`RenameField` of a many-to-many field (its through table)")
			return
		}
		if d.t.path == "" {
			return
		}
		// Django renames the through table it made for the field (its columns are
		// named after the two models, which stay).
		var b sqlb
		b.w("ALTER TABLE ", qi(oldThrough), " RENAME TO ").from(o.opt("new_name"), qi(newThrough))
		d.emit(o, migration.Up, &b)
		var r sqlb
		r.w("ALTER TABLE ", qi(newThrough), " RENAME TO ", qi(oldThrough))
		d.emit(o, migration.Down, &r)
		return
	}
	d.keepFKNames(m, f)
	old := *f
	f.name = to
	if f.call.opt("db_column").word() == "" {
		f.column = to
		if f.to != "" {
			f.column = to + "_id"
		}
	}
	if oldCol == f.column {
		return
	}
	if f.to != "" && f.dbConstraint {
		// Django alters the field: its foreign key is dropped under the name it has,
		// the column renamed, and the key added again under the new column's name.
		f.fk = ""
		if d.t.path != "" {
			d.alter(o, m, &old, f, migration.Up)
			d.alter(o, m, f, &old, migration.Down)
		}
		return
	}
	if d.t.path == "" {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(m.table), " RENAME COLUMN ", qi(oldCol), " TO ").from(o.opt("new_name"), qi(f.column))
	d.emit(o, migration.Up, &b)
	var r sqlb
	r.w("ALTER TABLE ", qi(m.table), " RENAME COLUMN ", qi(f.column), " TO ", qi(oldCol))
	d.emit(o, migration.Down, &r)
}

func (d *django) renameModel(o *node) {
	from, to := o.opt("old_name").word(), o.opt("new_name").word()
	m := d.st.model(d.app, from)
	if m == nil {
		d.unknown(o, fmt.Sprintf("`RenameModel` of %q, which the earlier migrations do not create", from))
		return
	}
	// The relations pointing at the model (Django's related_objects: each model's
	// foreign keys, then its many-to-many fields), which the state moves to its new
	// name, and the model's own many-to-many fields, whose through tables and columns
	// are named after it. A through table's names are taken before the rename.
	type pointing struct {
		m *djModel
		f *djField
		// oldName is a foreign key's constraint name, oldComputed the one Django gives
		// it when unapplying adds it again.
		oldName, oldComputed string
		// through are a many-to-many field's through table's names (nil for a
		// foreign key).
		through *throughNames
		own     bool // one of the model's own many-to-many fields, to another model
	}
	var refs []pointing
	for _, rm := range d.st.models {
		for _, f := range rm.fields {
			if f.to == "" {
				continue
			}
			if target, _ := d.st.target(rm.app, f.to); target == m {
				refs = append(refs, pointing{m: rm, f: f, oldName: d.existingFK(rm, f), oldComputed: d.fkName(rm, f)})
			} else if rm == m {
				d.keepFKNames(m, f) // the model's own key to another model stays as it is
			}
		}
		for _, f := range rm.fields {
			tm, ok := d.autoThrough(rm, f)
			if !ok {
				continue
			}
			names := d.throughNames(tm)
			if target, _ := d.st.target(rm.app, f.m2mTarget(rm)); target == m {
				refs = append(refs, pointing{m: rm, f: f, through: &names})
			} else if rm == m {
				refs = append(refs, pointing{m: rm, f: f, through: &names, own: true})
			}
		}
	}
	// Django alters the relations in its registry's order (apps by label, an app's
	// models as they entered the state), then the model's own many-to-many fields.
	// Unapplying goes through the state after the rename, where the model is last.
	inOrder := func() []pointing {
		out := slices.Clone(refs)
		slices.SortStableFunc(out, func(a, b pointing) int {
			if a.own != b.own {
				if a.own {
					return 1
				}
				return -1
			}
			if c := strings.Compare(strings.ToLower(a.m.app), strings.ToLower(b.m.app)); c != 0 {
				return c
			}
			if a.m.order != b.m.order {
				return a.m.order - b.m.order
			}
			// Not reached while every model enters through djState.add; the map's
			// order must not decide the output.
			return strings.Compare(strings.ToLower(a.m.name), strings.ToLower(b.m.name))
		})
		return out
	}
	up := inOrder()
	delete(d.st.models, strings.ToLower(d.app+"."+from))
	oldTable := m.table
	m.name = to
	if m.table == strings.ToLower(d.app+"_"+from) {
		m.table = strings.ToLower(d.app + "_" + to)
	}
	d.st.add(m)
	for _, p := range refs {
		switch {
		case p.through == nil:
			p.f.to = d.app + "." + to
			// A key added again (below) is named anew; one Django leaves keeps its name.
			p.f.fk = ""
			if !readdsFK(p.f) {
				p.f.fk = p.oldName
			}
		case !p.own:
			p.f.m2mTo = d.app + "." + to
		}
	}
	if oldTable == m.table || d.t.path == "" {
		return
	}
	// Django then alters each field pointing at the model (related_objects, which
	// leaves out a foreign key's related_name='+'): the foreign key, named after the
	// referenced table, is dropped and added again, checking every row of the
	// referencing table; a many-to-many field's through table gets the same for its
	// column named after the model, renamed in between. Then the model's own
	// many-to-many fields: their through tables (unless db_table names them) and the
	// column naming the model are renamed, with the same foreign key dropped and
	// added again (sqlmigrate, which executes none of it, shows no such foreign key:
	// it looks for it on the renamed table in the database before the migration).
	var b sqlb
	b.w("ALTER TABLE ", qi(oldTable), " RENAME TO ").from(o.opt("new_name"), qi(m.table))
	d.emit(o, migration.Up, &b)
	var r sqlb
	r.w("ALTER TABLE ", qi(m.table), " RENAME TO ", qi(oldTable))
	d.emit(o, migration.Down, &r)
	for _, sec := range []migration.Section{migration.Up, migration.Down} {
		order := up
		if sec == migration.Down {
			order = inOrder()
		}
		for _, p := range order {
			if p.through != nil {
				if tm, ok := d.autoThrough(p.m, p.f); ok {
					old, now := *p.through, d.throughNames(tm)
					if sec == migration.Down {
						old, now = now, old
					}
					d.renameThrough(o, sec, old, now, p.own)
				}
				continue
			}
			if !readdsFK(p.f) {
				continue
			}
			_, column := d.fkTarget(p.m, p.f)
			if sec == migration.Up {
				d.renameForeignKey(o, p.m.table, p.f.column, p.oldName, d.fkName(p.m, p.f), m.table, column, migration.Up)
				continue
			}
			// Unapplying renames the table back, then alters the fields again.
			table := p.m.table
			if p.m == m {
				table = oldTable
			}
			d.renameForeignKey(o, table, p.f.column, d.fkName(p.m, p.f), p.oldComputed, oldTable, column, migration.Down)
		}
	}
}

// readdsFK says whether a RenameModel of the model foreign key f points at drops and
// adds the key again: related_objects leaves out related_name='+'.
func readdsFK(f *djField) bool {
	return f.column != "" && f.dbConstraint && !strings.HasSuffix(f.call.opt("related_name").word(), "+")
}

// throughNames are the names a through table's DDL uses, taken while the models they
// come from are still in the state under those names.
type throughNames struct {
	table string
	// sides are the two foreign keys, to the field's model and to its target.
	sides      [2]struct{ column, fk, refTable, refColumn string }
	constraint bool
}

func (d *django) throughNames(tm *djModel) throughNames {
	n := throughNames{table: tm.table, constraint: tm.fields[1].dbConstraint}
	for i, f := range tm.fields[1:3] {
		table, column := d.fkTarget(tm, f)
		n.sides[i].column, n.sides[i].fk, n.sides[i].refTable, n.sides[i].refColumn = f.column, d.fkName(tm, f), table, column
	}
	return n
}

// renameThrough is what a RenameModel does in section sec to the through table of a
// many-to-many field pointing at the renamed model, or of one of its own (own), whose
// names were old before and are now after: the table is renamed when its name
// changed, and each of its columns naming a renamed model (the model's side for its
// own field, the target's for another model's, both for a field to itself) is
// renamed, its foreign key dropped before and added after.
func (d *django) renameThrough(o *node, sec migration.Section, old, now throughNames, own bool) {
	sides := []int{1} // the target's side
	switch {
	case own:
		sides = []int{0}
	case old.sides[0].refTable == old.sides[1].refTable:
		sides = []int{1, 0} // to itself: Django alters the reverse side first
	}
	if old.table != now.table {
		var s sqlb
		s.w("ALTER TABLE ", qi(old.table), " RENAME TO ", qi(now.table))
		d.emit(o, sec, &s)
	}
	for _, i := range sides {
		a, b := old.sides[i], now.sides[i]
		if a.column == b.column {
			continue
		}
		if old.constraint {
			d.emit(o, sec, dropFKSQL(now.table, a.fk))
		}
		var s sqlb
		s.w("ALTER TABLE ", qi(now.table), " RENAME COLUMN ", qi(a.column), " TO ", qi(b.column))
		d.emit(o, sec, &s)
		if now.constraint {
			d.emit(o, sec, addFKSQL(now.table, b.fk, b.column, b.refTable, b.refColumn))
		}
	}
}

// renameForeignKey drops foreign key from of table's column and adds it again as to,
// referencing refTable.
func (d *django) renameForeignKey(o *node, table, column, from, to, refTable, refColumn string, sec migration.Section) {
	d.emit(o, sec, dropFKSQL(table, from))
	d.emit(o, sec, addFKSQL(table, to, column, refTable, refColumn))
}

func (d *django) alterModelTable(o *node) {
	m, ok := d.modelArg(o, "name", 0)
	if !ok {
		return
	}
	// The table is renamed, its keys and the keys pointing at it are not; nor are the
	// columns of its many-to-many tables, which Django renames after it.
	d.keepFKNames(m, m.fields...)
	for _, rm := range d.st.models {
		for _, f := range rm.fields {
			if target, _ := d.st.target(rm.app, f.to); f.to != "" && target == m {
				d.keepFKNames(rm, f)
			}
		}
	}
	var throughs []throughNames
	for _, f := range m.fields {
		if tm, ok := d.autoThrough(m, f); ok {
			throughs = append(throughs, d.throughNames(tm))
		}
	}
	old := m.table
	m.table = o.opt("table").word()
	if m.table == "" {
		m.table = strings.ToLower(d.app + "_" + m.name)
	}
	if old == m.table || d.t.path == "" {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(old), " RENAME TO ", qi(m.table))
	d.emit(o, migration.Up, &b)
	var r sqlb
	r.w("ALTER TABLE ", qi(m.table), " RENAME TO ", qi(old))
	d.emit(o, migration.Down, &r)
	i := 0
	for _, f := range m.fields {
		if tm, ok := d.autoThrough(m, f); ok {
			now := d.throughNames(tm)
			d.renameThrough(o, migration.Up, throughs[i], now, true)
			d.renameThrough(o, migration.Down, now, throughs[i], true)
			i++
		}
	}
}

// indexSQL emits CREATE INDEX for a models.Index (deferred in CreateModel, direct in
// AddIndex).
func (d *django) indexSQL(o *node, m *djModel, idx *node, sec migration.Section, direct bool) {
	if idx == nil || idx.kind != kCall {
		return
	}
	name := idx.opt("name").word()
	fields := idx.opt("fields").words()
	if name == "" || len(fields) == 0 {
		d.unknown(o, "an index without a name or fields (expressions are not translated)")
		return
	}
	concurrently := o.name == "AddIndexConcurrently"
	var b sqlb
	b.w("CREATE ")
	if idx.name == "UniqueIndex" {
		b.w("UNIQUE ")
	}
	b.w("INDEX ")
	if concurrently {
		b.w("CONCURRENTLY ")
	}
	b.w(qi(name), " ON ", qi(m.table))
	if idx.name != "Index" && idx.name != "" {
		switch idx.name {
		case "GinIndex", "GistIndex", "BrinIndex", "HashIndex", "SpGistIndex", "BloomIndex", "BTreeIndex":
			b.w(" USING ", strings.ToLower(strings.TrimSuffix(idx.name, "Index")))
		}
	}
	b.w(" (")
	opclasses := idx.opt("opclasses").words()
	for i, f := range fields {
		if i > 0 {
			b.w(", ")
		}
		desc := strings.HasPrefix(f, "-")
		f = strings.TrimPrefix(f, "-")
		col := f
		if fd := m.field(f); fd != nil {
			col = fd.column
		}
		b.w(qi(col))
		if i < len(opclasses) {
			b.w(" ", opclasses[i])
		}
		if desc {
			b.w(" DESC")
		}
	}
	b.w(")")
	if cond := idx.opt("condition"); cond != nil {
		if sql, ok := d.q(m, cond); ok {
			b.w(" WHERE ", sql)
		} else {
			d.unknown(o, "an index condition migsafe cannot translate")
		}
	}
	if direct && sec == migration.Down {
		d.emit(o, sec, &b)
		return
	}
	if direct {
		d.emit(o, migration.Up, &b)
		var r sqlb
		r.w("DROP INDEX ")
		if concurrently {
			r.w("CONCURRENTLY ")
		}
		r.w("IF EXISTS ", qi(name))
		d.emit(o, migration.Down, &r)
		return
	}
	d.defer_(o, sec, &b)
}

func (d *django) addIndex(o *node) {
	m, ok := d.modelArg(o, "model_name", 0)
	if !ok {
		return
	}
	m.indexes = append(m.indexes, o.opt("index"))
	if d.t.path == "" {
		return
	}
	d.indexSQL(o, m, o.opt("index"), migration.Up, true)
}

func (d *django) removeIndex(o *node) {
	m, ok := d.modelArg(o, "model_name", 0)
	if !ok {
		return
	}
	name := o.opt("name").word()
	var removed *node
	for i, idx := range m.indexes {
		if idx.opt("name").word() == name {
			removed = idx
			m.indexes = append(m.indexes[:i:i], m.indexes[i+1:]...)
			break
		}
	}
	if d.t.path == "" {
		return
	}
	var b sqlb
	b.w("DROP INDEX ")
	if o.name == "RemoveIndexConcurrently" {
		b.w("CONCURRENTLY ")
	}
	b.w("IF EXISTS ").from(o.opt("name"), qi(name))
	d.emit(o, migration.Up, &b)
	if removed == nil {
		d.untranslatedDown(o, "")
		return
	}
	// Unapplying recreates the index from the state, concurrently when removed so.
	rc := &node{kind: kCall, name: strings.Replace(o.name, "Remove", "Add", 1), start: o.start, end: o.end}
	d.indexSQL(rc, m, removed, migration.Down, true)
}

// constraintSQL renders a CheckConstraint or UniqueConstraint, inline (in CREATE
// TABLE) or as ALTER TABLE ... ADD CONSTRAINT; unique constraints with a condition
// are partial unique indexes.
func (d *django) constraintSQL(m *djModel, c *node, inline bool) string {
	name := c.opt("name").word()
	var body string
	switch c.name {
	case "CheckConstraint":
		sql, ok := d.q(m, c.opt("check"))
		if !ok {
			return ""
		}
		body = "CHECK (" + sql + ")"
	case "UniqueConstraint":
		cols := columnsOf(m, c.opt("fields").words())
		if len(cols) == 0 {
			return "" // expressions (Lower('name'), F(...)) are not translated
		}
		if cond := c.opt("condition"); cond != nil {
			sql, ok := d.q(m, cond)
			if !ok || inline {
				return ""
			}
			return "CREATE UNIQUE INDEX " + qi(name) + " ON " + qi(m.table) + " (" + qis(cols) + ") WHERE " + sql
		}
		body = "UNIQUE (" + qis(cols) + ")"
	default:
		return ""
	}
	if inline {
		return "CONSTRAINT " + qi(name) + " " + body
	}
	return "ALTER TABLE " + qi(m.table) + " ADD CONSTRAINT " + qi(name) + " " + body
}

func (d *django) addConstraint(o *node) {
	m, ok := d.modelArg(o, "model_name", 0)
	if !ok || d.t.path == "" {
		return
	}
	c := o.opt("constraint")
	sql := d.constraintSQL(m, c, false)
	if sql == "" {
		d.unknown(o, "a constraint migsafe cannot translate")
		return
	}
	var b sqlb
	b.from(c, sql)
	d.emit(o, migration.Up, &b)
	var r sqlb
	if strings.HasPrefix(sql, "CREATE UNIQUE INDEX") {
		r.w("DROP INDEX IF EXISTS ", qi(c.opt("name").word()))
	} else {
		r.w("ALTER TABLE ", qi(m.table), " DROP CONSTRAINT ", qi(c.opt("name").word()))
	}
	d.emit(o, migration.Down, &r)
}

func (d *django) removeConstraint(o *node) {
	m, ok := d.modelArg(o, "model_name", 0)
	if !ok || d.t.path == "" {
		return
	}
	var b sqlb
	b.w("ALTER TABLE ", qi(m.table), " DROP CONSTRAINT ").from(o.opt("name"), qi(o.opt("name").word()))
	d.emit(o, migration.Up, &b)
	d.untranslatedDown(o, "")
}

func (d *django) alterUniqueTogether(o *node) {
	m, ok := d.modelArg(o, "name", 0)
	if !ok {
		return
	}
	var next [][]string
	for _, ut := range djangoTogether(o.opt("unique_together")) {
		next = append(next, columnsOf(m, ut))
	}
	old := m.uniqueTogether
	m.uniqueTogether = next
	if d.t.path == "" {
		return
	}
	key := func(cols []string) string { return strings.Join(cols, ",") }
	has := func(set [][]string, cols []string) bool {
		for _, s := range set {
			if key(s) == key(cols) {
				return true
			}
		}
		return false
	}
	change := func(from, to [][]string, sec migration.Section) {
		for _, cols := range from {
			if !has(to, cols) {
				var b sqlb
				b.w("ALTER TABLE ", qi(m.table), " DROP CONSTRAINT ", qi(djName(m.table, cols, "_uniq")))
				d.emit(o, sec, &b)
			}
		}
		for _, cols := range to {
			if !has(from, cols) {
				var b sqlb
				b.w("ALTER TABLE ", qi(m.table), " ADD CONSTRAINT ", qi(djName(m.table, cols, "_uniq")), " UNIQUE (", qis(cols), ")")
				d.emit(o, sec, &b)
			}
		}
	}
	change(old, next, migration.Up)
	change(next, old, migration.Down)
}

// runSQL analyses RunSQL's SQL as SQL; Django runs each statement of a string on its
// own (it splits scripts), and unapplies with reverse_sql.
func (d *django) runSQL(o *node) {
	if d.t.path == "" {
		return
	}
	sql := o.opt("sql")
	if sql == nil {
		sql = o.arg(0)
	}
	d.rawSQL(o, sql, migration.Up)
	rev, ok := o.optEntry("reverse_sql")
	if !ok && o.arg(1) != nil {
		rev = kwarg{val: o.arg(1), start: o.arg(1).start, end: o.arg(1).end}
		ok = true
	}
	if !ok || rev.val.kind == kNull {
		d.t.irreversible = append(d.t.irreversible, migration.Irreversible{Start: o.start, End: o.end,
			Reason: "RunSQL has no reverse_sql: Django refuses to unapply this migration (IrreversibleError)",
			Help:   "Give RunSQL a reverse_sql that undoes it (migrations.RunSQL.noop if nothing needs undoing)."})
		return
	}
	d.rawSQL(o, rev.val, migration.Down)
}

// rawSQL adds the SQL of a RunSQL argument: a string, or a list of strings and
// (sql, params) pairs; RunSQL.noop adds nothing.
func (d *django) rawSQL(o, n *node, sec migration.Section) {
	switch {
	case n == nil:
		return
	case n.kind == kStr:
		op := d.t.addRaw(o, sec, n.str)
		op.oneQuery = false // Django splits the script and runs statements one by one
		if sec == migration.Up {
			op.rewrite = d.rewriter(o, op)
		}
	case n.kind == kList:
		for _, e := range n.args {
			if e.kind == kList && len(e.args) > 0 {
				sql := e.args[0]
				if p := e.arg(1); p != nil && p.kind != kNull && sql.kind == kStr {
					// cursor.execute(sql, params): the driver puts the values in.
					sql = &node{kind: kStr, start: sql.start, end: sql.end, str: pyformat(sql.str)}
				}
				e = sql
			}
			d.rawSQL(o, e, sec)
		}
	case n.path() == "migrations.RunSQL.noop" || n.name == "noop":
	default:
		d.unknown(o, "RunSQL with SQL built at run time")
	}
}

// pyformat turns the placeholders of SQL run with parameters (%s, %(name)s; %% is a
// percent sign) into PostgreSQL's own, $1, $2...: a value goes there, and the SQL
// parses as it does once the driver has filled them in ("UPDATE t SET flag = %s" was a
// syntax error). Each placeholder maps to its % in the file.
func pyformat(s *str) *str {
	if s.dynamic() {
		return s
	}
	var sb strBuilder
	n, names := 0, map[string]int{}
	for i := 0; i < len(s.text); i++ {
		c := s.text[i]
		if c == '%' && i+1 < len(s.text) {
			switch next := s.text[i+1]; {
			case next == '%':
				sb.decoded("%", s.off[i])
				i++
				continue
			case next == 's':
				n++
				sb.decoded(fmt.Sprintf("$%d", n), s.off[i])
				i++
				continue
			case next == '(':
				if j := strings.Index(s.text[i:], ")s"); j > 0 {
					name := s.text[i+2 : i+j]
					k, seen := names[name]
					if !seen {
						n++
						k, names[name] = n, n
					}
					sb.decoded(fmt.Sprintf("$%d", k), s.off[i])
					i += j + 1
					continue
				}
			}
		}
		sb.b.WriteByte(c)
		sb.off = append(sb.off, s.off[i])
	}
	return sb.done()
}

func (d *django) runPython(o *node) {
	if d.t.path == "" {
		return
	}
	d.t.note(o.start, o.end, "RunPython runs Python code migsafe does not translate: its reads and writes are not checked (batch large backfills, and keep them out of schema-changing transactions)")
	rev := o.opt("reverse_code")
	if rev == nil {
		rev = o.arg(1)
	}
	if rev == nil || rev.kind == kNull {
		d.t.irreversible = append(d.t.irreversible, migration.Irreversible{Start: o.start, End: o.end,
			Reason: "RunPython has no reverse_code: Django refuses to unapply this migration (IrreversibleError)",
			Help:   "Give RunPython a reverse_code (migrations.RunPython.noop if nothing needs undoing)."})
	} else if rev.path() != "migrations.RunPython.noop" && rev.name != "noop" {
		d.t.downOpaque = true // the reverse is Python code too
	}
}

func (d *django) separate(o *node) {
	for _, s := range o.opt("state_operations").items() {
		saved := d.t
		d.t = &translation{opts: saved.opts}
		d.operation(s, false)
		d.t = saved
	}
	for _, s := range o.opt("database_operations").items() {
		d.operation(s, true)
	}
}

// q translates a Q object or lookup keywords to SQL (field__gte=0, field__isnull=True,
// ...); ok is false for what it does not know.
func (d *django) q(m *djModel, n *node) (string, bool) {
	if n == nil || n.kind != kCall || (n.name != "Q" && !strings.HasSuffix(n.callee(), ".Q")) {
		return "", false
	}
	var parts []string
	for _, a := range n.args {
		if s, ok := d.q(m, a); ok {
			parts = append(parts, "("+s+")")
		} else if a.kind == kList && len(a.args) == 2 {
			s, ok := d.lookup(m, a.args[0].word(), a.args[1])
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		} else {
			return "", false
		}
	}
	joiner := " AND "
	for _, k := range n.kw {
		if k.key == "_connector" {
			if v := k.val.word(); v == "OR" {
				joiner = " OR "
			}
			continue
		}
		if k.key == "_negated" {
			continue
		}
		s, ok := d.lookup(m, k.key, k.val)
		if !ok {
			return "", false
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "", false
	}
	out := strings.Join(parts, joiner)
	if n.opt("_negated").truthy() {
		out = "NOT (" + out + ")"
	}
	return out, true
}

func (d *django) lookup(m *djModel, key string, v *node) (string, bool) {
	field, op := key, "exact"
	if i := strings.LastIndex(key, "__"); i >= 0 {
		field, op = key[:i], key[i+2:]
	}
	col := field
	if f := m.field(field); f != nil {
		col = f.column
	}
	// field=None is Django's isnull=True (an = NULL would never hold).
	if op == "isnull" || op == "exact" && v != nil && v.kind == kNull {
		if op == "exact" || v.truthy() {
			return qi(col) + " IS NULL", true
		}
		return qi(col) + " IS NOT NULL", true
	}
	lit, ok := literal(v)
	if !ok {
		return "", false
	}
	if v.kind == kBool {
		lit = strings.ToLower(v.raw)
	}
	ops := map[string]string{"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
	if sym, ok := ops[op]; ok {
		return qi(col) + " " + sym + " " + lit, true
	}
	return "", false
}
