package lsp

import (
	"fmt"
	"strings"
	"testing"

	"go.uber.org/zap"
)

// bigMigration is n statements in the shapes migrations have, with findings of
// several rules (the same file tests/node/bench.mjs times against squawk).
func bigMigration(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, "CREATE TABLE t0_%d (id bigint PRIMARY KEY, name text);\n", i)
		case 1:
			fmt.Fprintf(&b, "CREATE INDEX t0_%d_idx ON users (col_%d);\n", i, i)
		case 2:
			fmt.Fprintf(&b, "ALTER TABLE users ADD COLUMN c_%d text NOT NULL;\n", i)
		case 3:
			fmt.Fprintf(&b, "ALTER TABLE orders ADD COLUMN d_%d integer DEFAULT 0;\n", i)
		default:
			fmt.Fprintf(&b, "UPDATE accounts SET flag_%d = true WHERE id < %d;\n", i, i)
		}
	}
	return b.String()
}

// BenchmarkDidChangeToPublish times one incremental edit of a 1,000-statement
// migration to the publishDiagnostics of its version, in process, without debounce.
func BenchmarkDidChangeToPublish(b *testing.B) {
	c := newClient(b, Options{Logger: zap.NewNop()})
	c.initialize("", "")
	const uri = "file:///tmp/migsafe-bench/0001_big.sql"
	c.open(uri, bigMigration(1000))
	c.waitDiags(uri, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		line := uint32(i*7) % 1000
		v := int32(i + 2)
		c.change(uri, v, rng(line, 0, line, 0), "")
		c.waitDiags(uri, v)
	}
}
