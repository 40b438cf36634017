package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// --help prints flag defaults; a --dsn defaulting to MIGSAFE_DSN printed the
// password in it, which a DSN is never shown with anywhere else.
func TestHelpShowsNoDSNPassword(t *testing.T) {
	for _, cmd := range []string{"trace", "stats"} {
		c := exec.Command(binary, cmd, "-h")
		c.Env = append(os.Environ(), "MIGSAFE_DSN=postgres://u:s3cret@localhost/db")
		out, errOut, _ := execute(t, c)
		if strings.Contains(out+errOut, "s3cret") {
			t.Errorf("%s -h shows MIGSAFE_DSN's password:\n%s", cmd, out+errOut)
		}
	}
}
