// Package codeactions is the library that rules build their fixes with, and the
// planner that turns the fixes of one migration into files.
//
// A rule's Check attaches fixes to its finding lazily (rules.Diagnostic.Fixes, built
// only when asked): a Fix holds Edits to the migration, edits to files that exist
// (Others: its down), new files that belong to it (Files: a Flyway .sql.conf, Diesel's
// metadata.toml) and Phases, the statements that must run after it. A Phase with NoTx
// runs outside a transaction and holds one statement; a Phase with Wait is a contract
// phase, kept in .migsafe/pending until `migsafe fix --promote`. Site gives a rule
// what it needs to build a fix (the statement, its file, config, the down edits that
// keep rollback working); BatchJob writes a resumable batched UPDATE or DELETE.
//
// The Planner composes fixes built against one migration: NewPlanner, then Apply for
// each fix (at is the offset of the statement it fixes, which orders its phases);
// Text, ReadFile and Deployed show the plan so far to a re-analysis; Plan lays every
// phase out through engine/project (Set.Next names and writes the runner's next
// migrations, Set.Waiting the pending files; no naming or layout lives here) and
// returns a Plan whose Write is all or nothing: it checks every file first, writes new
// files through temporary files and renames, rewrites the existing ones last, and on
// any failure leaves every file byte-identical. engine.FixFile is the composer the CLI
// and the language server use; a front end with fixes of its own (an ORM DSL) builds
// Fix values and goes through the same Planner.
package codeactions
