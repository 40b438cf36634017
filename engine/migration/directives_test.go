package migration

import (
	"slices"
	"strings"
	"testing"
)

// The annotation mistakes goose v3.30 refuses a migration for (each case checked with
// `goose validate`) are file errors at the annotation; what it takes is not.
func TestGooseRefusedAnnotations(t *testing.T) {
	const head = "-- +goose Up\n"
	for _, c := range []struct {
		text, want string // want: "" when goose takes the file
		line       int
	}{
		{head + "CREATE TABLE t (id int);\n-- +goose Down\nDROP TABLE t;\n", "", 0},
		{head + "-- +goose NO TRANSACTION\n-- +goose no transaction\n-- +goose ENVSUB ON\n-- +goose envsub off\nSELECT 1;\n", "", 0},
		{"--+goose Up\n-- +goose StatementBegin\nSELECT 1;\n-- +goose StatementEnd\nSELECT 2; -- +goose whatever\n", "", 0},
		{head + "SELECT 1;\n-- +goose Dwon\nDROP TABLE t;\n", `"-- +goose Dwon" is not an annotation goose knows`, 3},
		{head + "-- +goose Up extra\n", `"-- +goose Up extra" is not an annotation goose knows`, 2},
		{head + "-- +goose NoTransaction\n", `"-- +goose NoTransaction" is not an annotation goose knows`, 2},
		{head + "-- +goose\n", `"-- +goose" names no annotation`, 2},
		{head + "  -- +goose Down\n", `the annotation "-- +goose Down" is indented`, 2},
		{head + "-- +goose up\n", `a second "-- +goose up" annotation`, 2},
		{head + "-- +goose StatementBegin\nSELECT 1;\n", "this StatementBegin has no '-- +goose StatementEnd' after it", 2},
		{head + "-- +goose StatementBegin\nSELECT 1;\n-- +goose StatementBegin\nSELECT 2;\n-- +goose StatementEnd\n", "a StatementBegin inside the block the StatementBegin on line 2 opened", 4},
		{head + "SELECT 1;\n-- +goose StatementEnd\n", "this StatementEnd has no '-- +goose StatementBegin' before it", 3},
		{"-- note\n\n" + head + "SELECT 1;\n", "", 0},
		{"SELECT 0;\n" + head + "SELECT 1;\n", "it runs nothing before '-- +goose Up'", 1},
		{"-- note\n/* c */\n" + head + "SELECT 1;\n", "it runs nothing before '-- +goose Up'", 2},
		{"-- +goose Down\nSELECT 1;\n" + head + "SELECT 2;\n", "it must start with '-- +goose Up', and the Down annotation comes first", 1},
		{head + "-- see the +goose docs\nSELECT 1;\n", `"-- see the +goose docs" is not an annotation goose knows`, 2},
		{head + "--+goose Down -- x\nSELECT 1;\n", `"--+goose Down -- x" is not an annotation goose knows`, 2},
		{head + "-- +goose Down +goose\n", `"-- +goose Down +goose" names +goose twice`, 2},
		{head + "-- +gooseDown\nSELECT 1;\n", "", 0},
	} {
		f := Parse("db/20240101000000_a.sql", c.text, Options{})
		if f.Runner != Goose {
			t.Fatalf("%q: runner %s", c.text, f.Runner)
		}
		switch {
		case c.want == "" && len(f.Errors) > 0:
			t.Errorf("%q: %q, though goose takes it", c.text, f.Errors[0].Message)
		case c.want == "":
		case len(f.Errors) != 1 || !strings.HasPrefix(f.Errors[0].Message, "goose refuses this migration: "+c.want):
			t.Errorf("%q: errors %v, want %q", c.text, f.Errors, c.want)
		case f.Source.Position(f.Errors[0].Offset, UTF8).Line+1 != c.line:
			t.Errorf("%q: the error on line %d, want %d", c.text, f.Source.Position(f.Errors[0].Offset, UTF8).Line+1, c.line)
		}
	}
}

// The directive mistakes for which dbmate v2.28 refuses a migration, or runs its SQL
// in the wrong block (each case run with `dbmate up`), are file errors at the
// directive; what it takes is not.
func TestDbmateRefusedDirectives(t *testing.T) {
	for _, c := range []struct {
		text, want string // want: "" when dbmate takes the file
		line       int
	}{
		{"-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n", "", 0},
		{"--migrate:up\nSELECT 1;\n--migrate:down transaction:false\nSELECT 2;\n-- migrate:down\nSELECT 3;\n", "", 0},
		{"-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down\n-- migrate:whatever\n", "", 0},
		{"-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:dwon\nDROP TABLE t;\n", "it has no '-- migrate:down' block", 1},
		{"-- migrate:down\nSELECT 1;\n-- migrate:up\nSELECT 2;\n", "'-- migrate:down' comes before '-- migrate:up'", 1},
		{"  -- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n", `the directive "-- migrate:up" is indented`, 1},
		{"-- a comment\n\n  -- another\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n", "", 0},
		{"-- note\nSELECT 0;\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n", "it does not run statements before '-- migrate:up'", 2},
		{"/* block */\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n", "it does not run statements before '-- migrate:up'", 1},
		{"-- note\n-- migrate:up\nALTER TABLE users ADD COLUMN nickname text;\n", "it has no '-- migrate:down' block", 2},
		{"-- migrate:up\nSELECT 1;\n-- migrate:down\n", "", 0},
		{"-- migrate:up\nSELECT 1;\n-- migrate:down\ttransaction:false\nSELECT 2;\n", "", 0},
	} {
		f := Parse("db/migrations/20240101000000_a.sql", c.text, Options{})
		if f.Runner != Dbmate {
			t.Fatalf("%q: runner %s", c.text, f.Runner)
		}
		f.Errors = slices.DeleteFunc(f.Errors, func(e *SyntaxError) bool { return e.Taken }) // not refusals
		switch {
		case c.want == "" && len(f.Errors) > 0:
			t.Errorf("%q: %q, though dbmate takes it", c.text, f.Errors[0].Message)
		case c.want == "":
		case len(f.Errors) == 0 || !strings.HasPrefix(f.Errors[0].Message, "dbmate refuses this migration: "+c.want):
			t.Errorf("%q: errors %v, want %q", c.text, f.Errors, c.want)
		case f.Source.Position(f.Errors[0].Offset, UTF8).Line+1 != c.line:
			t.Errorf("%q: the error on line %d, want %d", c.text, f.Source.Position(f.Errors[0].Offset, UTF8).Line+1, c.line)
		}
	}
}

// TestDbmateTakesAMisspeltDirective: dbmate v2.28 applies a file whose `-- migrate:dwon`
// comes before its down block, running the SQL after it on the way up (checked with
// `dbmate up`), so migsafe reports no refusal there but a mistake to verify (Taken).
func TestDbmateTakesAMisspeltDirective(t *testing.T) {
	for _, c := range []struct {
		text    string
		refused bool
	}{
		{"-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:dwon\nDROP TABLE u;\n-- migrate:down\nDROP TABLE t;\n", false},
		{"-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:dwon\nDROP TABLE t;\n", true}, // no down block at all
	} {
		f := Parse("db/migrations/20240101000000_a.sql", c.text, Options{})
		var taken, refused int
		for _, e := range f.Errors {
			switch {
			case e.Taken && strings.Contains(e.Message, `"-- migrate:dwon" is not a dbmate directive`) && !strings.Contains(e.Message, "refuses"):
				taken++
				if line := f.Source.Position(e.Offset, UTF8).Line + 1; line != 3 {
					t.Errorf("%q: reported on line %d, want 3", c.text, line)
				}
			case strings.HasPrefix(e.Message, "dbmate refuses this migration: ") && !e.Taken:
				refused++
			default:
				t.Errorf("%q: unexpected %+v", c.text, e)
			}
		}
		if taken != 1 || (refused > 0) != c.refused {
			t.Errorf("%q: %d mistakes taken, %d refusals; want 1 and refused=%v: %v", c.text, taken, refused, c.refused, f.Errors)
		}
	}
}

// A runner reads its directives from whole lines (goose v3.30 and dbmate v2.28, checked
// with goose validate -v and dbmate up): a directive after SQL on its line is part of
// the statement, not a section marker, and "-- +gooseDown" is goose's Down. migsafe
// read "SELECT 1; -- +goose Down" as the start of the down section, so the DROP after
// it, which goose runs on the way up, was reviewed as a down statement.
func TestDirectivesAreWholeLines(t *testing.T) {
	for _, c := range []struct {
		path, text string
		sections   []Section
	}{
		{"db/20240101000000_a.sql", "-- +goose Up\nCREATE TABLE t (id int); -- +goose Down\nDROP TABLE users;\n", []Section{Up, Up}},
		{"db/20240101000000_a.sql", "-- +goose Up\nCREATE TABLE t (id int);\n-- +gooseDown\nDROP TABLE t;\n", []Section{Up, Down}},
		{"db/migrations/20240101000000_a.sql", "-- migrate:up\nCREATE TABLE t (id int); -- migrate:down\nDROP TABLE users;\n-- migrate:down\nDROP TABLE t;\n", []Section{Up, Up, Down}},
	} {
		f := Parse(c.path, c.text, Options{})
		var got []Section
		for _, st := range f.Statements {
			got = append(got, st.Section)
		}
		if !slices.Equal(got, c.sections) {
			t.Errorf("%q: sections %v, want %v", c.text, got, c.sections)
		}
	}
	// A goose NO TRANSACTION after SQL on its line does not take the file out of
	// goose's transaction.
	f := Parse("db/20240101000000_a.sql", "-- +goose Up\nSELECT 1; -- +goose NO TRANSACTION\n", Options{})
	if wraps, _ := f.runnerMode(Options{}); !wraps {
		t.Error("a NO TRANSACTION after SQL on its line took the migration out of goose's transaction")
	}
}
