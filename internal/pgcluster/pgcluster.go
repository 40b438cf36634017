// Package pgcluster starts throwaway PostgreSQL clusters from local server binaries, for
// the tests that check migsafe's lock facts against real servers and for `migsafe
// trace`. A cluster lives in a temporary directory, listens only on a Unix socket in
// that directory, and is removed by Stop.
//
// PostgreSQL refuses to run as root; when the process is root (as in CI) the server
// runs as an unprivileged user (migsafe-pg, created when missing, else nobody).
package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options configure a cluster.
type Options struct {
	// Major is the PostgreSQL major version (10, 11, ... 17).
	Major int
	// Settings are extra server settings (name -> value), e.g. {"fsync": "off"}.
	Settings map[string]string
}

// Cluster is a running throwaway server.
type Cluster struct {
	Major   int
	Version string // the server's full version ("15.14")
	root    string // temporary directory holding data, socket and log
	cmd     *exec.Cmd
	done    chan error
	port    int
}

// ErrNotInstalled is returned (wrapped) when no binaries are found for a major.
var ErrNotInstalled = errors.New("PostgreSQL binaries not installed")

// socketPort is the port number in the socket file name; nothing listens on TCP.
const socketPort = 5432

// Start initialises and starts a cluster. The caller must call Stop.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	home, err := Find(opts.Major)
	if err != nil {
		return nil, err
	}
	cred, err := serverUser()
	if err != nil {
		return nil, err
	}
	if cred != nil {
		if home, err = readableBy(home, cred, opts.Major); err != nil {
			return nil, err
		}
	}
	root, err := os.MkdirTemp("", "migsafe-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Major: opts.Major, root: root, port: socketPort}
	if err := c.start(ctx, home, cred, opts.Settings); err != nil {
		c.Stop()
		return nil, fmt.Errorf("postgres %d: %w", opts.Major, err)
	}
	return c, nil
}

func (c *Cluster) start(ctx context.Context, home string, cred *syscall.Credential, settings map[string]string) error {
	if err := os.Chmod(c.root, 0o755); err != nil {
		return err
	}
	data, sock := filepath.Join(c.root, "data"), filepath.Join(c.root, "sock")
	for _, d := range []string{data, sock, c.SpareDir()} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return err
		}
		if cred != nil {
			if err := os.Chown(d, int(cred.Uid), int(cred.Gid)); err != nil {
				return err
			}
		}
	}
	bin := filepath.Join(home, "bin")
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres",
		"-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
	if out, err := run(initdb, cred, home); err != nil {
		return fmt.Errorf("initdb: %v\n%s", err, tail(out))
	}
	args := []string{"-D", data, "-k", sock, "-p", strconv.Itoa(c.port), "-c", "listen_addresses=",
		"-c", "autovacuum=off", "-c", "max_connections=20"}
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "-c", k+"="+settings[k])
	}
	logPath := filepath.Join(c.root, "server.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logf.Close()
	// The server is a child of this process (not daemonised by pg_ctl) so that it dies
	// with it: a test binary killed by a timeout leaves no server behind.
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), args...)
	c.cmd.Stdout, c.cmd.Stderr = logf, logf
	c.cmd.Dir = c.root
	c.cmd.Env = env(home)
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT, Setpgid: true}
	if err := c.cmd.Start(); err != nil {
		return err
	}
	c.done = make(chan error, 1)
	go func() { c.done <- c.cmd.Wait() }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, c.DSN())
		if err == nil {
			err = conn.QueryRow(ctx, "SHOW server_version").Scan(&c.Version)
			conn.Close(ctx)
			if err != nil {
				return err
			}
			return nil
		}
		select {
		case werr := <-c.done:
			c.done <- werr
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("server exited: %v\n%s", werr, tail(log))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("server not ready after 60s: %v\n%s", err, tail(log))
		}
	}
}

// DSN connects to the postgres database as the superuser postgres.
func (c *Cluster) DSN() string { return c.DSNFor("postgres") }

// DSNFor connects to the named database.
func (c *Cluster) DSNFor(db string) string {
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=%s sslmode=disable",
		filepath.Join(c.root, "sock"), c.port, db)
}

// SpareDir is an empty directory owned by the server's user, for CREATE TABLESPACE.
func (c *Cluster) SpareDir() string { return filepath.Join(c.root, "spare") }

// Stop shuts the server down immediately and removes its files. It is safe to call
// more than once and on a cluster that failed to start.
func (c *Cluster) Stop() error {
	var err error
	if c.cmd != nil && c.cmd.Process != nil && c.done != nil {
		// SIGQUIT is pg_ctl's "immediate" shutdown: nothing here needs to survive.
		_ = syscall.Kill(c.cmd.Process.Pid, syscall.SIGQUIT)
		select {
		case <-c.done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
			<-c.done
		}
		c.cmd = nil
	}
	if c.root != "" {
		err = os.RemoveAll(c.root)
		c.root = ""
	}
	return err
}

// Find returns the installation directory (holding bin/) for a major: the directory
// named by MIGSAFE_PG_BIN_<major> (its bin/ or itself), Debian's
// /usr/lib/postgresql/<major>, or .cache/pg/<major> in the repository (written by
// scripts/install-postgres.sh).
func Find(major int) (string, error) {
	var tried []string
	if dir := os.Getenv(fmt.Sprintf("MIGSAFE_PG_BIN_%d", major)); dir != "" {
		if filepath.Base(dir) == "bin" {
			dir = filepath.Dir(dir)
		}
		if hasServer(dir) {
			return dir, nil
		}
		return "", fmt.Errorf("%w: MIGSAFE_PG_BIN_%d=%s has no bin/postgres", ErrNotInstalled, major, dir)
	}
	for _, dir := range candidates(major) {
		if hasServer(dir) {
			return dir, nil
		}
		tried = append(tried, dir)
	}
	return "", fmt.Errorf("%w for major %d (looked in %s; run scripts/install-postgres.sh %d or set MIGSAFE_PG_BIN_%d)",
		ErrNotInstalled, major, strings.Join(tried, ", "), major, major)
}

// Available lists the majors Find can find, ascending.
func Available() []int {
	var majors []int
	for m := 9; m <= 30; m++ {
		if _, err := Find(m); err == nil {
			majors = append(majors, m)
		}
	}
	return majors
}

func candidates(major int) []string {
	dirs := []string{fmt.Sprintf("/usr/lib/postgresql/%d", major)}
	sub := filepath.Join(".cache", "pg", strconv.Itoa(major))
	if root := os.Getenv("MIGSAFE_PG_CACHE"); root != "" {
		dirs = append(dirs, filepath.Join(root, strconv.Itoa(major)))
	}
	// The cache sits at the root of the migsafe checkout: look upwards from the working
	// directory (tests) and from the executable (an installed or built binary).
	starts := []string{}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if exe, err := os.Executable(); err == nil {
		starts = append(starts, filepath.Dir(exe))
	}
	for _, s := range starts {
		for d := s; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dirs = append(dirs, filepath.Join(d, sub))
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return dirs
}

func hasServer(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, "bin", "postgres"))
	return err == nil && st.Mode()&0o111 != 0
}

// serverUser returns the credential to run the server with: nil when this process is
// not root, else an unprivileged user's.
// Unprivileged is the user the server runs as when the process is root, nil when it is
// not: tests that need file permissions to apply run commands as it.
func Unprivileged() (*syscall.Credential, error) { return serverUser() }

func serverUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	const name = "migsafe-pg"
	u, err := user.Lookup(name)
	if err != nil {
		// A system user with no home and no shell; nobody is the fallback where
		// useradd is missing or fails.
		// useradd fails too when a concurrent test process created the user first.
		out, aerr := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name).CombinedOutput()
		if u, err = user.Lookup(name); err != nil {
			if u, err = user.Lookup("nobody"); err != nil {
				return nil, fmt.Errorf("running as root and cannot create user %s (%v: %s) nor find nobody", name, aerr, bytes.TrimSpace(out))
			}
		}
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
}

// readableBy checks that the server user can run the binaries; where a parent
// directory is closed to it (a checkout under /root), the installation is copied to a
// shared temporary directory once.
func readableBy(home string, cred *syscall.Credential, major int) (string, error) {
	probe := exec.Command(filepath.Join(home, "bin", "postgres"), "--version")
	if _, err := run(probe, cred, home); err == nil {
		return home, nil
	}
	copyDir := filepath.Join(os.TempDir(), "migsafe-pg-bin", strconv.Itoa(major))
	if hasServer(copyDir) {
		return copyDir, nil
	}
	tmp := copyDir + ".tmp" + strconv.Itoa(os.Getpid())
	if err := os.MkdirAll(filepath.Dir(copyDir), 0o755); err != nil {
		return "", err
	}
	if out, err := exec.Command("cp", "-a", home, tmp).CombinedOutput(); err != nil {
		return "", fmt.Errorf("copying %s for the server user: %v: %s", home, err, out)
	}
	if err := filepath.WalkDir(tmp, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		perm := info.Mode().Perm() | 0o444
		if d.IsDir() || perm&0o100 != 0 {
			perm |= 0o111
		}
		return os.Chmod(p, perm)
	}); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, copyDir); err != nil && !hasServer(copyDir) {
		return "", err
	}
	os.RemoveAll(tmp)
	return copyDir, nil
}

func run(cmd *exec.Cmd, cred *syscall.Credential, home string) ([]byte, error) {
	cmd.Env = env(home)
	cmd.Dir = os.TempDir()
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	return cmd.CombinedOutput()
}

// env is the server's environment: the npm builds find their libraries through an
// rpath, but LD_LIBRARY_PATH covers builds without one.
func env(home string) []string {
	e := []string{"PATH=/usr/bin:/bin", "LC_ALL=C", "TZ=UTC"}
	if lib := filepath.Join(home, "lib"); dirExists(lib) {
		e = append(e, "LD_LIBRARY_PATH="+lib)
	}
	return e
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

var lastLines = regexp.MustCompile(`(?s)(?:[^\n]*\n?){1,15}$`)

func tail(b []byte) string {
	return strings.TrimSpace(lastLines.FindString(string(b)))
}
