package trace

import (
	"os"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRedactDSN(t *testing.T) {
	for _, dsn := range []string{
		"postgres://app:s3cret@db.example:5432/app",
		"host=db.example user=app password=s3cret dbname=app",
		"host=db.example password='s3 cret' dbname=app",
		"host=db.example PASSWORD = s3cret",
	} {
		got := RedactDSN(dsn)
		if strings.Contains(got, "s3") {
			t.Errorf("RedactDSN(%q) = %q", dsn, got)
		}
		if !strings.Contains(got, "db.example") {
			t.Errorf("RedactDSN(%q) = %q lost the host", dsn, got)
		}
	}
}

func TestCheckLocal(t *testing.T) {
	for dsn, local := range map[string]bool{
		"host=/tmp/sock dbname=x":                 true,
		"postgres://u:p@localhost/x":              true,
		"postgres://u:p@127.0.0.1:5433/x":         true,
		"postgres://u:p@[::1]/x":                  true,
		"postgres://u:p@db.example/x":             false,
		"host=10.1.2.3 dbname=x":                  false,
		"host=localhost,db.example dbname=x":      false,
		"postgres://u:secret@db.example:5432/app": false,
	} {
		err := CheckLocal(dsn)
		if (err == nil) != local {
			t.Errorf("CheckLocal(%q) = %v, want local=%v", RedactDSN(dsn), err, local)
		}
		if err != nil && (strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), "--allow-remote")) {
			t.Errorf("CheckLocal(%q) error %q", RedactDSN(dsn), err)
		}
	}
}
