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
	for dsn, want := range map[string]string{
		"postgres://app:s3cret@db.example:5432/app":                     "postgres://app@db.example:5432/app",
		"postgresql://app:p%40ss@db.example/app?sslmode=disable":        "postgresql://app@db.example/app?sslmode=disable",
		"postgres://app:x@db.example/app?password=y&sslpassword=z":      "postgres://app@db.example/app",
		"postgres://app:a@localhost/app":                                "postgres://app@localhost/app",
		"postgres://db.example/app":                                     "postgres://db.example/app",
		"host=db.example user=app password=s3cret dbname=app":           "host=db.example user=app dbname=app",
		"host=db.example password='s3 cret' dbname=app":                 "host=db.example dbname=app",
		"host=db.example PASSWORD = s3cret":                             "host=db.example",
		"host=db.example password=a dbname=a":                           "host=db.example dbname=a",
		"host=db.example password='it\\'s@here' application_name='a b'": "host=db.example application_name='a b'",
		"user=app password=@ host=localhost sslpassword=k":              "user=app host=localhost",
	} {
		got, err := RedactDSN(dsn)
		if err != nil || got != want {
			t.Errorf("RedactDSN(%q) = %q, %v; want %q", dsn, got, err, want)
		}
	}
	// What libpq and pgx would read differently is refused, and the refusal does not
	// repeat the DSN.
	for _, dsn := range []string{
		"postgres://app:p@ss@db.example/app",
		"postgres://app:p?x@db.example/app",
		"postgres://app:p#x@db.example/app",
		"host=db.example password='unterminated",
		"host=db.example s3cret",
		"postgres://app:s3cret@db example/app",
	} {
		got, err := RedactDSN(dsn)
		if err == nil {
			t.Errorf("RedactDSN(%q) = %q, want a refusal", dsn, got)
		} else if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "ss@") {
			t.Errorf("RedactDSN(%q) refusal repeats the secret: %v", dsn, err)
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
			t.Errorf("CheckLocal(%q) = %v, want local=%v", dsn, err, local)
		}
		if err != nil && (strings.Contains(err.Error(), "secret") || !strings.Contains(err.Error(), "--allow-remote")) {
			t.Errorf("CheckLocal(%q) error %q", dsn, err)
		}
	}
}
