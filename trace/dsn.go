package trace

import (
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

var (
	urlPassword = regexp.MustCompile(`(://[^:/@]*:)[^@]*@`)
	kvPassword  = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)
)

// RedactDSN hides the password of a connection string (URL or key=value form), so
// that it can appear in output and errors.
func RedactDSN(dsn string) string {
	s := urlPassword.ReplaceAllString(dsn, "${1}xxxxx@")
	return kvPassword.ReplaceAllString(s, "${1}xxxxx")
}

// RedactError removes the DSN's password from an error message: pgx quotes parts of the
// connection string in its errors.
func RedactError(dsn string, err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if cfg, perr := pgconn.ParseConfig(dsn); perr == nil && cfg.Password != "" {
		msg = strings.ReplaceAll(msg, cfg.Password, "xxxxx")
	}
	return fmt.Errorf("%s", RedactDSN(msg))
}

// CheckLocal refuses a DSN whose host is neither a Unix socket nor a loopback address:
// trace runs migrations, and a production server is one typo away.
func CheckLocal(dsn string) error {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return RedactError(dsn, err)
	}
	hosts := []string{cfg.Host}
	for _, fb := range cfg.Fallbacks {
		hosts = append(hosts, fb.Host)
	}
	for _, h := range hosts {
		if !isLocalHost(h) {
			return fmt.Errorf("%s is not a local socket or loopback address (pass --allow-remote to trace against it anyway)", h)
		}
	}
	return nil
}

func isLocalHost(h string) bool {
	if strings.HasPrefix(h, "/") || h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
