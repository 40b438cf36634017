package migration

import (
	"strings"
	"testing"
)

// at is the file offset of the n-th (from 0) occurrence of sub in text.
func at(t *testing.T, text, sub string, n int) int {
	t.Helper()
	off := -1
	for i := 0; i <= n; i++ {
		j := strings.Index(text[off+1:], sub)
		if j < 0 {
			t.Fatalf("%q occurs fewer than %d times", sub, n+1)
		}
		off += j + 1
	}
	return off
}

// The statements of a DO body are positioned in the file: their text, their tokens
// and the locations inside their trees map to the bytes of the file they came from,
// for dollar quotes (verbatim), PERFORM (sent as SELECT) and INTO (blanked).
func TestBodyStatementsArePositioned(t *testing.T) {
	text := "SET lock_timeout = '1s';\nDO $body$\nDECLARE v int;\nBEGIN\n  -- migsafe:ignore unbatched-backfill -- tiny\n" +
		"  ALTER TABLE users ADD COLUMN é𝄞 int NOT NULL;\n  SELECT id INTO v FROM users LIMIT 1;\n  perform pg_sleep(1);\n" +
		"  UPDATE t SET a = 1; UPDATE t SET a = 1;\n  EXECUTE format('DROP TABLE %I', 'x');\n  COMMIT;\nEND\n$body$;\n"
	f := Parse("0001_x.sql", text, Options{})
	if len(f.Statements) != 2 {
		t.Fatalf("statements: %d", len(f.Statements))
	}
	do := f.Statements[1]
	b := do.Body
	if b == nil || b.Unread != "" {
		t.Fatalf("body: %+v", b)
	}
	if b.Start != at(t, text, "\nDECLARE", 0) || text[b.End:] != "$body$;\n" {
		t.Errorf("body span %d-%d", b.Start, b.End)
	}
	var got []string
	for _, s := range b.Statements {
		got = append(got, s.Text)
		if s.Parent != do || s.Node == nil || s.Err != nil || s.Index != do.Index {
			t.Errorf("%q: parent %v node %v err %v index %d", s.Text, s.Parent == do, s.Node != nil, s.Err, s.Index)
		}
		if s.Start != int(s.Tokens[0].Start) && !strings.HasPrefix(s.Text, "perform") {
			t.Errorf("%q starts at %d, its first token at %d", s.Text, s.Start, s.Tokens[0].Start)
		}
	}
	want := []string{"ALTER TABLE users ADD COLUMN é𝄞 int NOT NULL", "SELECT id INTO v FROM users LIMIT 1", "perform pg_sleep(1)", "UPDATE t SET a = 1", "UPDATE t SET a = 1"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("statements %q, want %q", got, want)
	}
	alter := b.Statements[0]
	cd := alter.Node.GetAlterTableStmt().Cmds[0].GetAlterTableCmd().Def.GetColumnDef()
	if off := alter.Pos(cd.Location); off != at(t, text, "é𝄞 int", 0) {
		t.Errorf("column definition at %d, want %d", off, at(t, text, "é𝄞", 0))
	}
	for _, tok := range alter.Tokens {
		if w := text[tok.Start:tok.End]; w == "NULL" && int(tok.Start) != at(t, text, "NULL;", 0) {
			t.Errorf("NULL token at %d", tok.Start)
		}
	}
	if b.Statements[3].Start == b.Statements[4].Start || b.Statements[4].Start != at(t, text, "UPDATE t", 1) {
		t.Errorf("two equal statements on one line share a place: %d %d", b.Statements[3].Start, b.Statements[4].Start)
	}
	if len(b.Dynamic) != 1 || b.Dynamic[0].Text != "EXECUTE format('DROP TABLE %I', 'x')" {
		t.Errorf("dynamic: %+v", b.Dynamic)
	}
	if len(b.TxControl) != 1 || b.TxControl[0].Text != "COMMIT" || b.TxControl[0].Start != at(t, text, "COMMIT", 0) {
		t.Errorf("tx control: %+v", b.TxControl)
	}
	if len(b.Comments) != 1 || !strings.HasPrefix(b.Comments[0].Text, "-- migsafe:ignore") || b.Comments[0].Start != at(t, text, "-- migsafe", 0) {
		t.Errorf("comments: %+v", b.Comments)
	}
}

// In a '...' body a doubled quote is one: offsets inside the statement still land on
// the file's bytes after it.
func TestBodyInSingleQuotes(t *testing.T) {
	text := "DO 'BEGIN UPDATE t SET b = ''it''''s''; ALTER TABLE t ADD COLUMN c int NOT NULL; END';\n"
	f := Parse("0001_x.sql", text, Options{})
	b := f.Statements[0].Body
	if b == nil || b.Unread != "" || len(b.Statements) != 2 {
		t.Fatalf("body: %+v", b)
	}
	up, alter := b.Statements[0], b.Statements[1]
	if up.Text != "UPDATE t SET b = ''it''''s''" || alter.Text != "ALTER TABLE t ADD COLUMN c int NOT NULL" {
		t.Errorf("texts %q %q", up.Text, alter.Text)
	}
	cd := alter.Node.GetAlterTableStmt().Cmds[0].GetAlterTableCmd().Def.GetColumnDef()
	if off := alter.Pos(cd.Location); off != at(t, text, "c int", 0) {
		t.Errorf("column definition at %d, want %d", off, at(t, text, "c int", 0))
	}
	if v := up.Node.GetUpdateStmt().TargetList[0].GetResTarget().Val.GetAConst().GetSval().GetSval(); v != "it's" {
		t.Errorf("decoded constant %q", v)
	}
	if last := up.Tokens[len(up.Tokens)-1]; text[last.Start:last.End] != "''it''''s''" {
		t.Errorf("string token covers %q", text[last.Start:last.End])
	}
}

// What migsafe does not read it says: another language, a body that does not compile,
// an escape string.
func TestBodyUnread(t *testing.T) {
	for sql, why := range map[string]string{
		"DO LANGUAGE plpython3u $$ plpy.execute('DROP TABLE t') $$;": "it is in plpython3u, not PL/pgSQL",
		"DO $$ BEGIN SELEC 1; END $$;":                               "pg_query's PL/pgSQL parser rejects it",
		"DO E'BEGIN UPDATE t SET a = \\'x\\'; END';":                 "its quoting",
	} {
		b := Parse("0001_x.sql", sql, Options{}).Statements[0].Body
		if b == nil || !strings.HasPrefix(b.Unread, why) || len(b.Statements) != 0 {
			t.Errorf("%s: %+v, want unread because %s", sql, b, why)
		}
	}
}

// Body statements run in the DO's transaction when it runs in a transaction block;
// otherwise in the DO's own, which COMMIT ends and restarts from PostgreSQL 11 (outside
// an EXCEPTION block).
func TestBodyTransactions(t *testing.T) {
	body := "$$ BEGIN UPDATE a SET x = 1; COMMIT; UPDATE b SET x = 1; BEGIN UPDATE c SET x = 1; COMMIT; EXCEPTION WHEN others THEN NULL; END; UPDATE d SET x = 1; END $$;\n"
	ids := func(f *File, do int) []Tx {
		var out []Tx
		for _, s := range f.Statements[do].Body.Statements {
			out = append(out, s.Tx)
		}
		return out
	}
	plain := Parse("0001_x.sql", "BEGIN;\nSELECT 1;\nCOMMIT;\nDO "+body, Options{PGVersion: 15})
	got := ids(plain, 3)
	if got[0].Kind != DoTx || got[0].ID == plain.Statements[0].Tx.ID || got[1].ID == got[0].ID || got[2].ID != got[1].ID || got[3].ID != got[2].ID {
		t.Errorf("autocommit DO on 15: %+v (the file's transaction is %d)", got, plain.Statements[0].Tx.ID)
	}
	pg10 := ids(Parse("0001_x.sql", "DO "+body, Options{PGVersion: 10}), 0)
	if pg10[0].ID != pg10[3].ID {
		t.Errorf("PostgreSQL 10 has no COMMIT in PL/pgSQL: %+v", pg10)
	}
	inTx := Parse("0001_x.sql", "BEGIN;\nDO "+body+"COMMIT;\n", Options{PGVersion: 15})
	for _, tx := range ids(inTx, 1) {
		if tx != inTx.Statements[1].Tx {
			t.Errorf("DO inside BEGIN: body statement in %+v, the DO in %+v", tx, inTx.Statements[1].Tx)
		}
	}
}
