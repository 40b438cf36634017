package codeactions

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/migsafe/migsafe/engine/config"
)

// Job is a data change of every row of a table that matches, to run as a batch job
// instead of one statement: an UPDATE (Set) or a DELETE.
type Job struct {
	// Name identifies the job's progress: unique per job, stable across runs.
	Name  string
	Table string // the table as written back (Relation)
	Alias string // the statement's alias of the table, "" for none
	// Set is the UPDATE's SET list ("phone = '' "); "" for a DELETE.
	Set string
	// Where is the statement's condition; Needs the rows that still need the change
	// (phone IS NULL); either may be "". Both are SQL deparsed from the syntax tree.
	Where, Needs string
	// Converges: once a row is changed it no longer matches Where and Needs, so a run
	// that starts over skips finished rows. Without it the job needs the table's
	// primary key to remember where it stopped.
	Converges bool
	// Vars are constants declared at the top of the job for the author to read or
	// change (the value a backfill writes); Set, Where and Needs refer to the i-th as
	// $(i+3).
	Vars []JobVar
}

// JobVar is a constant of a batch job.
type JobVar struct {
	Name, Type, Value string
}

// BatchJob is the job as one statement that must run outside a transaction block
// (PostgreSQL 11+, where a DO block may COMMIT): it changes batch_size rows per
// transaction, commits each batch with its progress in migsafe_batch_progress, pauses
// batch_pause between batches so replicas and autovacuum keep up, and sets lock_timeout
// for every batch. (The last key of a batch is ordered as the key, not as its text:
// 9999 sorts after 10000 as text.) It walks the table's single-column primary key from where the last
// committed batch stopped, so a run interrupted at any point and run again resumes
// there and changes each row once; a table without one is walked by the rows that still
// need the change, which converges only for a Converges job (otherwise the job stops
// with an error before changing anything). The progress table is dropped when the last
// job using it finishes.
func BatchJob(cfg *config.Config, j Job) string {
	size := cfg.BatchSize
	if size <= 0 {
		size = config.Default().BatchSize
	}
	pause := 0.0
	if d, err := config.ParseDuration(cfg.BatchPause); err == nil {
		pause = d.Seconds()
	}
	target := j.Table
	ref := j.Table
	if j.Alias != "" {
		target += " AS " + Ident(j.Alias)
		ref = Ident(j.Alias)
	}
	var cond []string
	for _, c := range []string{j.Where, j.Needs} {
		if strings.TrimSpace(c) != "" {
			cond = append(cond, "("+c+")")
		}
	}
	where := strings.Join(cond, " AND ")
	if where == "" {
		where = "true"
	}
	// The keyset query is a format() template: %1$I is the key column, %2$s its type.
	esc := func(s string) string { return strings.ReplaceAll(s, "%", "%%") }
	var change, fallback string
	if j.Set == "" {
		change = fmt.Sprintf("DELETE FROM %s USING batch WHERE %s.%%1$I = batch.migsafe_key RETURNING 1", esc(target), esc(ref))
		fallback = fmt.Sprintf("DELETE FROM %s WHERE ctid = ANY (ARRAY(SELECT ctid FROM %s WHERE %s LIMIT $1)) AND %s RETURNING 1", target, target, where, where)
	} else {
		change = fmt.Sprintf("UPDATE %s SET %s FROM batch WHERE %s.%%1$I = batch.migsafe_key RETURNING 1", esc(target), esc(j.Set), esc(ref))
		fallback = fmt.Sprintf("UPDATE %s SET %s WHERE ctid = ANY (ARRAY(SELECT ctid FROM %s WHERE %s LIMIT $1)) AND %s RETURNING 1", target, j.Set, target, where, where)
	}
	keyset := fmt.Sprintf("WITH batch AS (SELECT %s.%%1$I AS migsafe_key FROM %s WHERE ($2::text IS NULL OR %s.%%1$I > $2::%%2$s) AND %s ORDER BY 1 LIMIT $1), "+
		"changed AS (%s) SELECT (SELECT batch.migsafe_key::text FROM batch ORDER BY batch.migsafe_key DESC LIMIT 1), (SELECT count(*) FROM changed)",
		esc(ref), esc(target), esc(ref), esc(where), change)
	var decls, using []string
	for _, v := range j.Vars {
		decls = append(decls, fmt.Sprintf("  %s constant %s := %s;", v.Name, v.Type, v.Value))
		using = append(using, v.Name)
	}
	args := strings.Join(append([]string{"batch_size", "resume_key"}, using...), ", ")
	noKey := "      RAISE EXCEPTION 'migsafe batch job %: table % has no single-column primary key to resume from, and its change is not idempotent', job_name, tbl;"
	if j.Converges {
		noKey = strings.Join([]string{
			"      EXECUTE $migsafe_q$WITH changed AS (" + fallback + ") SELECT NULL::text, count(*) FROM changed$migsafe_q$",
			"        INTO batch_last, batch_rows USING " + args + ";",
			"      EXIT WHEN batch_rows = 0;",
		}, "\n")
	}
	return strings.Join(append(append([]string{
		Dynamic("the batch job's EXECUTE runs this migration's " + strings.ToUpper(verb(j)) + " over the primary key found when it runs"),
		"DO $migsafe$",
		"-- migsafe:batch-job " + j.Name,
		"DECLARE"}, decls...), []string{
		"  job_name constant text := " + Literal(j.Name) + ";",
		"  batch_size constant bigint := " + strconv.FormatInt(size, 10) + ";",
		"  pause constant float8 := " + strconv.FormatFloat(pause, 'f', -1, 64) + ";",
		"  tbl constant regclass := " + Literal(j.Table) + "::regclass;",
		"  key_col text;",
		"  key_type text;",
		"  resume_key text;",
		"  batch_last text;",
		"  batch_rows bigint;",
		"BEGIN",
		"  CREATE TABLE IF NOT EXISTS migsafe_batch_progress (job text PRIMARY KEY, last_key text, rows_done bigint NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now());",
		"  INSERT INTO migsafe_batch_progress (job) VALUES (job_name) ON CONFLICT (job) DO NOTHING;",
		"  SELECT a.attname, format_type(a.atttypid, a.atttypmod) INTO key_col, key_type",
		"    FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]",
		"    WHERE i.indrelid = tbl AND i.indisprimary AND i.indnatts = 1;",
		"  COMMIT;",
		"  LOOP",
		"    SET LOCAL lock_timeout = " + Literal(cfg.LockTimeout) + ";",
		"    SELECT p.last_key INTO resume_key FROM migsafe_batch_progress p WHERE p.job = job_name;",
		"    IF key_col IS NOT NULL THEN",
		"      EXECUTE format($migsafe_q$" + keyset + "$migsafe_q$, key_col, key_type)",
		"        INTO batch_last, batch_rows USING " + args + ";",
		"      EXIT WHEN batch_last IS NULL;",
		"    ELSE",
		noKey,
		"    END IF;",
		"    UPDATE migsafe_batch_progress SET last_key = coalesce(batch_last, resume_key), rows_done = rows_done + batch_rows, updated_at = now() WHERE job = job_name;",
		"    COMMIT;",
		"    PERFORM pg_sleep(pause);",
		"  END LOOP;",
		"  SET LOCAL lock_timeout = " + Literal(cfg.LockTimeout) + ";",
		"  DELETE FROM migsafe_batch_progress WHERE job = job_name;",
		"  LOCK TABLE migsafe_batch_progress IN ACCESS EXCLUSIVE MODE;",
		"  IF NOT EXISTS (SELECT FROM migsafe_batch_progress) THEN",
		"    DROP TABLE migsafe_batch_progress;",
		"  END IF;",
		"END",
		"$migsafe$;",
	}...), "\n")
}

// BatchJobNote heads a phase that runs a batch job: what it does and how to resume it.
func BatchJobNote(what string) string {
	return "-- " + what + ": a batch job that commits every batch. It must run outside a transaction\n" +
		"-- (PostgreSQL 11+). Interrupted, it resumes where it stopped when run again; its progress is\n" +
		"-- in migsafe_batch_progress while it runs."
}

func verb(j Job) string {
	if j.Set == "" {
		return "delete"
	}
	return "update"
}

// Dynamic is the suppression of dynamic-sql that heads a DO block a fix writes: its
// EXECUTE runs SQL the fix built from the migration (and migsafe checked), completed at
// run time by what only the server knows (a table's primary key, a column's type).
func Dynamic(why string) string {
	return "-- migsafe:ignore dynamic-sql -- written by migsafe fix: " + why
}
