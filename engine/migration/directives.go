package migration

import (
	"fmt"
	"strings"
)

// gooseAnnotations are the annotations goose (v3.30) parses, by their lower-case form:
// any other `-- +goose` line makes it refuse the whole file.
var gooseAnnotations = map[string]bool{
	"up": true, "down": true, "statementbegin": true, "statementend": true,
	"no transaction": true, "envsub on": true, "envsub off": true,
}

// gooseErrors are the annotation mistakes for which goose refuses to parse a
// migration, so that it fails to run (found with `goose validate`, v3.30): an
// annotation it does not know ("-- +goose Dwon", "-- +goose Up extra"), one indented,
// a second Up or Down, a Down before the Up, SQL before the Up, a StatementBegin
// without its StatementEnd, one inside another's block, and a StatementEnd without
// its StatementBegin. migsafe read
// such a file as goose would never run it (the DROP under a misspelt Down ran in its
// up section) and found it SAFE TO SHIP.
func gooseErrors(f *File) []*SyntaxError {
	var errs []*SyntaxError
	add := func(at int, format string, args ...any) {
		errs = append(errs, &SyntaxError{Offset: at, Message: "goose refuses this migration: " + fmt.Sprintf(format, args...)})
	}
	seen := map[string]int{}
	begin := -1 // the open StatementBegin's offset
	for _, c := range f.Comments {
		name, again, ok := gooseLine(c.Text)
		if !ok {
			continue
		}
		pos := f.Source.Position(c.Start, UTF8)
		before := f.Source.Line(pos.Line)[:pos.Column]
		if strings.TrimSpace(before) != "" {
			continue // after SQL on its line: goose reads it as part of the statement
		}
		if before != "" {
			add(c.Start, "the annotation %q is indented (goose reads annotations only at the start of a line)", c.Text)
			continue
		}
		key := strings.ToLower(name)
		switch {
		case again:
			add(c.Start, "%q names +goose twice (goose reads one annotation a line)", c.Text)
			continue
		case name == "":
			add(c.Start, "%q names no annotation", c.Text)
			continue
		case !gooseAnnotations[key]:
			add(c.Start, "%q is not an annotation goose knows (Up, Down, StatementBegin, StatementEnd, NO TRANSACTION, ENVSUB ON, ENVSUB OFF; a -- comment that contains +goose is read as one)", c.Text)
			continue
		}
		switch key {
		case "up", "down":
			if _, dup := seen[key]; dup {
				add(c.Start, "a second %q annotation", c.Text)
			} else {
				seen[key] = c.Start // the first
			}
		case "statementbegin":
			if begin >= 0 {
				// goose v3.30: "'-- +goose StatementBegin' must be defined after
				// '-- +goose Up' or '-- +goose Down'": its state machine has no nesting.
				add(c.Start, "a StatementBegin inside the block the StatementBegin on line %d opened (goose has no nested blocks)", f.Source.Position(begin, UTF8).Line+1)
			} else {
				begin = c.Start
			}
		case "statementend":
			if begin < 0 {
				add(c.Start, "this StatementEnd has no '-- +goose StatementBegin' before it")
			}
			begin = -1
		}
	}
	if begin >= 0 {
		add(begin, "this StatementBegin has no '-- +goose StatementEnd' after it")
	}
	up, hasUp := seen["up"]
	down, hasDown := seen["down"]
	downFirst := hasDown && (!hasUp || down < up)
	if downFirst {
		add(down, "it must start with '-- +goose Up', and the Down annotation comes first")
	}
	if hasUp && !downFirst {
		// Only blank lines and -- comments may come before Up ("unexpected state 0 on
		// line ..."; a /* */ comment counts); migsafe ran such SQL as part of the up.
		for at := 0; at < up; {
			line := f.Source.Text[at:up]
			if i := strings.IndexByte(line, '\n'); i >= 0 {
				line = line[:i]
			}
			if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
				add(at, "it runs nothing before '-- +goose Up' (only blank lines and -- comments may precede it)")
				break
			}
			at += len(line) + 1
		}
	}
	return errs
}

// dbmateErrors are the directive mistakes that make dbmate (v2.28) refuse a migration
// or run its SQL in the wrong place, where migsafe found it SAFE TO SHIP: SQL before
// the up block, the down block before the up one ("requires '-- migrate:up' to appear
// before '-- migrate:down'"),
// and a `-- migrate:` line that is no directive before the down block ("-- migrate:dwon"),
// which dbmate v2.28 takes as a comment of the up block, so the DROP after it runs on
// the way up: dbmate applies such a file (checked with `dbmate up`), so that one is
// reported Taken, a mistake to verify, not a refusal. dbmate finds directives at the start of a line only (as `--\s*migrate:`), so an
// indented one is none. And a migration without a down block: dbmate v2.28 applies
// nothing of it ("requires each migration to define a down block with '-- migrate:down'",
// checked with `dbmate up`; an empty down block is taken), where migsafe found it SAFE TO
// SHIP with a missing-down-migration FLAG.
func dbmateErrors(f *File) []*SyntaxError {
	var errs []*SyntaxError
	add := func(at int, format string, args ...any) {
		errs = append(errs, &SyntaxError{Offset: at, Message: "dbmate refuses this migration: " + fmt.Sprintf(format, args...)})
	}
	text := f.Source.Text
	up, down := -1, -1
	preceded := false
	for at := 0; at < len(text); {
		line := text[at:]
		if i := strings.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		}
		start := at
		at += len(line) + 1
		trimmed := strings.TrimSpace(line)
		if !strings.HasPrefix(trimmed, "--") {
			// Only blank lines and -- comments may come before the up block ("does not
			// support statements preceding the '-- migrate:up' block"; a /* */ comment
			// counts as one). migsafe ran them as part of the up.
			if trimmed != "" && up < 0 && down < 0 && !preceded {
				preceded = true
				add(start, "it does not run statements before '-- migrate:up' (only blank lines and -- comments may precede it)")
			}
			continue
		}
		name, _, ok := dbmateLine(trimmed)
		if !ok {
			continue
		}
		switch {
		case trimmed != strings.TrimRight(line, " \t\r"):
			if up < 0 || down < 0 {
				add(start, "the directive %q is indented, and dbmate finds directives only at the start of a line", trimmed)
			}
		case name == "migrate:up":
			if up < 0 {
				up = start
				if down >= 0 {
					add(down, "'-- migrate:down' comes before '-- migrate:up' (dbmate requires the up block first)")
				}
			}
		case name == "migrate:down":
			if down < 0 {
				down = start
			}
		case down < 0:
			errs = append(errs, &SyntaxError{Offset: start, Taken: true, Message: fmt.Sprintf(
				"Verify: %q is not a dbmate directive (migrate:up, migrate:down): dbmate takes it as a comment and runs what follows it as part of the up block", trimmed)})
		}
	}
	if up < 0 && down >= 0 {
		add(down, "it has no '-- migrate:up' block (dbmate requires one)")
	}
	if up >= 0 && down < 0 {
		add(up, "it has no '-- migrate:down' block (dbmate requires one in every migration; an empty one is taken)")
	}
	return errs
}

// InGooseBlock reports whether off lies between a goose StatementBegin and its
// StatementEnd, where goose sends the text as one statement and a second
// StatementBegin is an error ("must be defined after '-- +goose Up'").
func (f *File) InGooseBlock(off int) bool {
	in := false
	for _, c := range f.Comments {
		if c.Start >= off {
			break
		}
		name, _, ok := gooseLine(c.Text)
		if !ok {
			continue
		}
		switch strings.ToLower(name) {
		case "statementbegin":
			in = true
		case "statementend", "up", "down":
			in = false
		}
	}
	return in
}
