package migration

import (
	"fmt"
	"strings"
)

// The ORMs whose migrations engine/orm translates. They are runners too: each decides
// where up and down are and which transaction a statement runs in.
const (
	Rails     Runner = "rails"
	Django    Runner = "django"
	Alembic   Runner = "alembic"
	Knex      Runner = "knex"
	TypeORM   Runner = "typeorm"
	Sequelize Runner = "sequelize"
)

// ORMs lists the ORM runners, in the order messages name them.
var ORMs = []Runner{Rails, Django, Alembic, Knex, TypeORM, Sequelize}

// NoORM is the `orm` setting that turns ORM front ends off.
const NoORM Runner = "none"

// IsORM reports an ORM runner.
func (r Runner) IsORM() bool {
	for _, o := range ORMs {
		if r == o {
			return true
		}
	}
	return false
}

// ParseORM checks an `orm` setting: an ORM's name, or "none".
func ParseORM(name string) (Runner, error) {
	if Runner(name) == NoORM {
		return NoORM, nil
	}
	for _, o := range ORMs {
		if string(o) == name {
			return o, nil
		}
	}
	names := make([]string, 0, len(ORMs)+1)
	for _, o := range ORMs {
		names = append(names, string(o))
	}
	names = append(names, string(NoORM))
	return "", fmt.Errorf("unknown orm %q (want one of: %s)", name, strings.Join(names, ", "))
}

// Irreversible is an operation of an ORM migration that its ORM cannot reverse: a
// rollback fails there (Rails raises IrreversibleMigration, Django refuses to unapply).
type Irreversible struct {
	Start, End int
	Reason     string // what cannot be reversed and why
	Help       string // how to make it reversible
}

// DownHint says how to give an ORM migration a down form, for messages.
func (r Runner) DownHint() string {
	switch r {
	case Rails:
		return "a `down` method (or write `change` with reversible operations only)"
	case Django:
		return "reverse forms to the operations (`reverse_code`, `reverse_sql`)"
	case Alembic:
		return "the statements that undo `upgrade` to `downgrade()`"
	case Knex:
		return "`exports.down` undoing `exports.up`"
	case TypeORM, Sequelize:
		return "a `down` method undoing `up`"
	}
	return ""
}
