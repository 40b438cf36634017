package trace

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// A DSN is shown (in the report's target and in errors) only as RedactDSN rebuilds it
// from its parsed fields, without the secret ones: never by searching the text for the
// password, which mangles messages when the password is short or common and misses it
// when the DSN reads differently than it looks. A DSN whose fields libpq and pgx (which
// connects) could read differently is refused instead.

// secretKeys are the connection parameters never shown, compared case-insensitively
// (pgx passes an unknown key such as PASSWORD to the server, secret and all).
var secretKeys = map[string]bool{"password": true, "sslpassword": true}

// RedactDSN returns the DSN without its password fields, in the form it was written
// (URL or key=value), or an error saying why it cannot be read unambiguously.
func RedactDSN(dsn string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return redactURL(dsn)
	}
	pairs, err := keywordValues(dsn)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range pairs {
		if secretKeys[strings.ToLower(p[0])] {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p[0])
		b.WriteByte('=')
		b.WriteString(quoteValue(p[1]))
	}
	return b.String(), nil
}

// redactURL drops the password from a postgres:// URL's user info and query.
func redactURL(dsn string) (string, error) {
	rest := dsn[strings.Index(dsn, "://")+3:]
	authority := rest
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority = rest[:i]
	}
	// libpq ends the user info at the first '@' (and the authority at the first '/');
	// Go's URL parser, which pgx uses, at the last '@', after cutting the query at the
	// first '?'. Where those differ, the DSN names different users, passwords or hosts
	// to the two.
	if strings.Count(authority, "@") > 1 {
		return "", errors.New("the DSN's user info holds an unescaped '@': percent-encode it as %40 (libpq and pgx would read different passwords and hosts)")
	}
	if at := strings.IndexByte(authority, '@'); at >= 0 && strings.ContainsAny(authority[:at], "?#") {
		return "", errors.New("the DSN's user info holds an unescaped '?' or '#': percent-encode it (%3F, %23); libpq and pgx would read it differently")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", errors.New("the DSN is not a valid URL (its text is not repeated here: it may hold a password)")
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	if q := u.Query(); len(q) > 0 {
		for k := range q {
			if secretKeys[strings.ToLower(k)] {
				q.Del(k)
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

// keywordValues splits a key=value connection string as libpq's conninfo_parse does:
// whitespace-separated key = value pairs, values either single-quoted or bare, with
// backslash escaping the next character in both.
func keywordValues(s string) ([][2]string, error) {
	var pairs [][2]string
	i := 0
	space := func() {
		for i < len(s) && strings.IndexByte(" \t\n\r\f\v", s[i]) >= 0 {
			i++
		}
	}
	for {
		space()
		if i >= len(s) {
			return pairs, nil
		}
		start := i
		for i < len(s) && s[i] != '=' && strings.IndexByte(" \t\n\r\f\v", s[i]) < 0 {
			i++
		}
		key := s[start:i]
		space()
		if i >= len(s) || s[i] != '=' || key == "" {
			// Not quoted: a malformed DSN may have its password where a key should be.
			return nil, fmt.Errorf("the DSN is neither a postgres:// URL nor key=value pairs: the word at byte %d has no '=' after it", start)
		}
		i++
		space()
		var v strings.Builder
		if i < len(s) && s[i] == '\'' {
			i++
			for {
				if i >= len(s) {
					return nil, fmt.Errorf("the DSN's value at byte %d has no closing quote", start)
				}
				if s[i] == '\\' && i+1 < len(s) {
					v.WriteByte(s[i+1])
					i += 2
					continue
				}
				if s[i] == '\'' {
					i++
					break
				}
				v.WriteByte(s[i])
				i++
			}
		} else {
			for i < len(s) && strings.IndexByte(" \t\n\r\f\v", s[i]) < 0 {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				v.WriteByte(s[i])
				i++
			}
		}
		pairs = append(pairs, [2]string{key, v.String()})
	}
}

// quoteValue writes a key=value value back as libpq reads it.
func quoteValue(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\n\r\f\v'\\") {
		return v
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// RedactError describes a failure to use the DSN without its password. A connection
// failure (pgconn.ConnectError) names only the user, the database and the cause; the
// parse errors of pgx quote the connection string, so they are reported from the
// redacted DSN and the cause alone.
func RedactError(dsn string, err error) error {
	var pce *pgconn.ParseConfigError
	if err == nil || !errors.As(err, &pce) {
		return err
	}
	shown, rerr := RedactDSN(dsn)
	if rerr != nil {
		return rerr
	}
	cause := "invalid connection string"
	if inner := errors.Unwrap(pce); inner != nil {
		cause = inner.Error()
	}
	return fmt.Errorf("cannot use the DSN %s: %s", shown, cause)
}

// CheckLocal refuses a DSN whose host is neither a Unix socket nor a loopback address:
// trace runs migrations, and a production server is one typo away.
func CheckLocal(dsn string) error {
	if _, err := RedactDSN(dsn); err != nil {
		return err
	}
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
