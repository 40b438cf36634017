package jsonquote

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// Append is encoding/json's quoting, with and without HTML escaping.
func TestAppendMatchesEncodingJSON(t *testing.T) {
	cases := []string{
		"", "plain", "quote \" backslash \\", "newline \n return \r tab \t nul \x00 \x1f \x7f",
		"<b>&amp;</b>", "\u2028 \u2029", "é 😀", "bad \xff\xfe end", "\xed\xa0\x80 surrogate",
	}
	// Each byte that needs a look at every place in and around the 8-byte words
	// Append skips whole.
	for _, special := range []string{"\"", "\\", "\n", "\x00", "\x1f", " ", "\x7f", "\x80", "é", "\u2028", "\xff", "<", ">", "&", "!", "#", "[", "]", "^", "`"} {
		for at := 0; at <= 17; at++ {
			cases = append(cases, "abcdefghijklmnopqrstuvwxyz"[:at]+special+"0123456789ABCDEFGH", strings.Repeat(special, at))
		}
	}
	for _, s := range cases {
		html, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var plain bytes.Buffer
		enc := json.NewEncoder(&plain)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got := Append(nil, s, true); !bytes.Equal(got, html) {
			t.Errorf("Append(%q, html) = %s, want %s", s, got, html)
		}
		if got, want := Append(nil, s, false), bytes.TrimSuffix(plain.Bytes(), []byte("\n")); !bytes.Equal(got, want) {
			t.Errorf("Append(%q) = %s, want %s", s, got, want)
		}
	}
}

// BenchmarkAppend quotes strings like a report's: messages, help, statements, paths.
func BenchmarkAppend(b *testing.B) {
	strs := []string{
		"adding a column with a volatile default rewrites the table under an ACCESS EXCLUSIVE lock",
		strings.Repeat("Add the column without a default, then backfill it in batches. ", 4),
		"CREATE INDEX idx_users_email ON users (email);",
		"/work/shared/corpus/dhis2-flyway/2.31/V2_31_1__Migrations_for_release_v31.sql",
		"\u00e9 \"quoted\" line\nnext",
	}
	buf := make([]byte, 0, 1<<12)
	for b.Loop() {
		buf = buf[:0]
		for _, s := range strs {
			buf = Append(buf, s, false)
		}
	}
}
