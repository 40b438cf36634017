package jsonquote

import (
	"bytes"
	"encoding/json"
	"testing"
)

// Append is encoding/json's quoting, with and without HTML escaping.
func TestAppendMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{
		"", "plain", "quote \" backslash \\", "newline \n return \r tab \t nul \x00 \x1f \x7f",
		"<b>&amp;</b>", "\u2028 \u2029", "é 😀", "bad \xff\xfe end", "\xed\xa0\x80 surrogate",
	} {
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
