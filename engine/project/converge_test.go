package project

import (
	"reflect"
	"slices"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// TestSameRelationComparesEveryField: Converged lets an analysis keep the rest of an
// earlier one when the catalogs are alike, so sameRelation must see a change in any
// field a rule or a replay reads. Each exported field of a relation, its columns,
// constraints and index info is changed in turn on a copy, and the copy must differ;
// only an Origin's Offset may change unseen. A field added to these structs fails here
// until sameRelation compares it (or it is listed as bookkeeping).
func TestSameRelationComparesEveryField(t *testing.T) {
	typ := func(name string) *pg.TypeName {
		return &pg.TypeName{Names: []*pg.Node{pg.MakeStrNode(name)}, Location: 7}
	}
	base := func() *Relation {
		return &Relation{ID: 3, Kind: 'r', Name: Name{"public", "users"}, Origin: Origin{Path: "a.sql", Offset: 10, Seq: 1},
			Columns:     []*Column{{Name: "id", Type: typ("int8"), Default: pg.MakeAConstIntNode(1, 9), Origin: Origin{Path: "a.sql", Offset: 12, Seq: 1}}},
			Constraints: []*Constraint{{Name: "users_pkey", Kind: PrimaryKey, Columns: []string{"id"}, Origin: Origin{Path: "a.sql", Offset: 14, Seq: 1}}},
			Indexes:     []ID{4}, Index: &IndexInfo{Table: 2, Columns: []string{"id"}}, Uses: []ID{5}, UsesColumns: []string{"id"},
			Outputs: []*Column{{Name: "id", Type: typ("int8")}},
			OwnedBy: &ColumnRef{Table: 2, Column: "id"}, Referrers: []ID{6}}
	}
	if !sameRelation(base(), base()) {
		t.Fatal("two equal relations differ")
	}
	// changed returns v's field changed, and false when the test does not know how.
	var changed func(v reflect.Value) (reflect.Value, bool)
	changed = func(v reflect.Value) (reflect.Value, bool) {
		n := reflect.New(v.Type()).Elem()
		n.Set(v)
		switch v.Kind() {
		case reflect.Bool:
			n.SetBool(!v.Bool())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			n.SetInt(v.Int() + 1)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			n.SetUint(v.Uint() + 1)
		case reflect.String:
			n.SetString(v.String() + "x")
		case reflect.Slice:
			if v.Type().Elem().Kind() == reflect.Pointer {
				n.Set(v.Slice(0, 0)) // one element fewer (a nil one would not be a relation's)
			} else {
				n.Set(reflect.Append(reflect.AppendSlice(reflect.MakeSlice(v.Type(), 0, v.Len()+1), v), reflect.Zero(v.Type().Elem())))
			}
		case reflect.Pointer:
			if v.Type() == reflect.TypeOf(typ("")) {
				n.Set(reflect.ValueOf(typ("text")))
			} else {
				n.Set(reflect.Zero(v.Type()))
			}
		default:
			return n, false
		}
		return n, true
	}
	// fieldsOf changes each field of the struct *p in turn (structs field by field)
	// and reports the relation after each change to check.
	var fieldsOf func(t *testing.T, where string, p reflect.Value, check func(what string, offsetOnly bool))
	fieldsOf = func(t *testing.T, where string, p reflect.Value, check func(string, bool)) {
		s := p.Elem()
		for i := 0; i < s.NumField(); i++ {
			f, sf := s.Field(i), s.Type().Field(i)
			what := where + "." + sf.Name
			if !sf.IsExported() {
				continue // listed below
			}
			if f.Kind() == reflect.Struct {
				fieldsOf(t, what, f.Addr(), func(w string, _ bool) { check(w, sf.Type == reflect.TypeOf(Origin{}) && w == what+".Offset") })
				continue
			}
			old := reflect.New(f.Type()).Elem()
			old.Set(f)
			n, ok := changed(f)
			if !ok {
				t.Errorf("%s: the test does not know how to change a %s", what, f.Type())
				continue
			}
			f.Set(n)
			check(what, false)
			f.Set(old)
		}
	}
	check := func(a *Relation) func(string, bool) {
		return func(what string, offsetOnly bool) {
			if got := sameRelation(a, base()); got != offsetOnly {
				t.Errorf("changing %s: sameRelation = %v, want %v", what, got, offsetOnly)
			}
		}
	}
	r := base()
	fieldsOf(t, "Relation", reflect.ValueOf(r), check(r))
	r = base()
	fieldsOf(t, "Column", reflect.ValueOf(r.Columns[0]), check(r))
	r = base()
	fieldsOf(t, "Constraint", reflect.ValueOf(r.Constraints[0]), check(r))
	r = base()
	fieldsOf(t, "IndexInfo", reflect.ValueOf(r.Index), check(r))
	r = base()
	fieldsOf(t, "ColumnRef", reflect.ValueOf(r.OwnedBy), check(r))

	// Unexported fields are how the relation was built (edits, shared tails), not what
	// it holds; a new one must be judged and listed here.
	var unexported []string
	for _, ty := range []reflect.Type{reflect.TypeOf(Relation{}), reflect.TypeOf(Column{}), reflect.TypeOf(Constraint{}), reflect.TypeOf(IndexInfo{})} {
		for i := 0; i < ty.NumField(); i++ {
			if !ty.Field(i).IsExported() {
				unexported = append(unexported, ty.Name()+"."+ty.Field(i).Name)
			}
		}
	}
	if want := []string{"Relation.owner", "Relation.columnTail", "Relation.indexTail"}; !slices.Equal(unexported, want) {
		t.Errorf("unexported fields %v, want %v: judge whether sameRelation must compare a new one", unexported, want)
	}
}
