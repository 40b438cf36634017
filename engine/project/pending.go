package project

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/migsafe/migsafe/engine/migration"
	"github.com/migsafe/migsafe/engine/orm"
	"github.com/migsafe/migsafe/internal/gitdir"
)

// Pending says which migrations of a set are not deployed yet. Tables they create are
// new and empty when the migration under review runs: nobody uses them, so how long a
// lock on them is held does not matter (correctness still does).
type Pending struct {
	pending map[string]bool // up paths
	// deployed holds the object ID, in the base tree, of each migration found there
	// by path: a text that differs was edited after it was deployed.
	deployed map[string]string
	// renamed maps a migration renamed since the base (same text, another path) to
	// its path there.
	renamed map[string]string
	// deleted are the migrations of the set in the base tree that the work tree no
	// longer has (nor under another name), in the runner's order.
	deleted []string
	// base names the revision deployed is read from, for messages.
	base string
	// How says what decided it, for messages: "after deployed_through 0042",
	// "absent from origin/main (merge-base 1a2b3c4)".
	How string
}

// Is reports whether the migration whose up file is path is pending.
func (p *Pending) Is(path string) bool {
	// The rules ask for every table's origin: most sets have nothing pending, and
	// most paths are clean already.
	if p == nil || len(p.pending) == 0 {
		return false
	}
	return p.pending[path] || p.pending[filepath.Clean(path)]
}

// EditedSince reports whether text, the migration whose up file is path, differs from
// that file in the base revision, where it has already run, and names the revision.
// Only a comparison with a git revision (--base, or the default merge-base) knows it.
func (p *Pending) EditedSince(path, text string) (string, bool) {
	if p == nil || len(p.deployed) == 0 {
		return "", false
	}
	id, ok := p.deployed[filepath.Clean(path)]
	if !ok {
		return "", false
	}
	if blobID(text, len(id)) == id {
		return "", false
	}
	// A checkout that converts line endings (core.autocrlf) keeps LF in the tree.
	if strings.Contains(text, "\r\n") && blobID(strings.ReplaceAll(text, "\r\n", "\n"), len(id)) == id {
		return "", false
	}
	return p.base, true
}

// RenamedSince reports the path in the base revision of the migration whose up file is
// path, when its text is there under another name, and names the revision.
func (p *Pending) RenamedSince(path string) (was, base string, ok bool) {
	if p == nil || len(p.renamed) == 0 {
		return "", "", false
	}
	was, ok = p.renamed[filepath.Clean(path)]
	return was, p.base, ok
}

// DeletedSince lists the migrations of the set that the base revision holds (they have
// run where it is deployed) and the work tree no longer has, under their path or
// another, and names the revision. Only a comparison with a git revision knows it.
func (p *Pending) DeletedSince() ([]string, string) {
	if p == nil || len(p.deleted) == 0 {
		return nil, ""
	}
	return p.deleted, p.base
}

// deletedSince lists the migrations of s's runner in the base tree (files, read from
// dir's repository) that s no longer holds: the set the runner would have read there,
// less the migrations still in s and those renamed to one of it. The directory
// listings (golang-migrate, goose, dbmate, Flyway, Diesel, Prisma) are listed the way
// Discover lists the work tree's; sqitch's changes are those of the base's plan; an
// ORM's are the files of its directories that it would load as migrations (read from
// the base where their content decides). A plain directory of .sql files is compared
// only when every file of it in the base is numbered (001_users.sql), the way
// migrations applied in name order are named: an unnumbered one may hold scripts that
// are not migrations at all (seed.sql, reset.sql).
func deletedSince(s *Set, files map[string]string, renamed map[string]string) []string {
	moved := make(map[string]bool, len(renamed))
	for _, was := range renamed {
		moved[filepath.Clean(was)] = true
	}
	gone := func(p string) bool { return s.Index(p) < 0 && !moved[filepath.Clean(p)] }
	old := &Set{Runner: s.Runner, Dir: s.Dir}
	tree := newTreeFS(files)
	var err error
	switch s.Runner {
	case migration.GolangMigrate, migration.Goose, migration.Dbmate:
		err = old.versioned(tree)
	case migration.Flyway:
		err = old.flyway(tree)
	case migration.Diesel, migration.Prisma:
		err = old.directories(tree, filepath.Join(s.Dir, "x", "up.sql"))
	case migration.Sqitch:
		err = old.sqitchBase(s.Dir, files, tree)
	case migration.Rails, migration.Django, migration.Alembic, migration.Knex, migration.TypeORM, migration.Sequelize:
		old.ormBase(s.Dir, files, tree, gone)
	case migration.Plain:
		old.plainBase(tree)
	default:
		return nil
	}
	if err != nil {
		return nil
	}
	var deleted []string
	for _, m := range old.Migrations {
		if gone(m.Up) {
			deleted = append(deleted, m.Up)
		}
	}
	return deleted
}

// blobText reads the object id (a file of a git tree) from dir's repository.
func blobText(dir, id string) ([]byte, error) {
	out, err := git(dir, "cat-file", "blob", id)
	return []byte(out), err
}

// sqitchBase lists the changes of the base's sqitch.plan (its deploy directory's
// scripts without one, as Discover does), in the plan's order. An unchanged plan
// lists the changes it lists now: no git is run for it.
func (s *Set) sqitchBase(dir string, files map[string]string, tree treeFS) error {
	id, ok := files[filepath.Join(s.Dir, "sqitch.plan")]
	if !ok || id == "" {
		return s.sqitch(tree, filepath.Join(s.Dir, "deploy", "x.sql"))
	}
	if now, err := os.ReadFile(filepath.Join(s.Dir, "sqitch.plan")); err == nil && blobID(string(now), len(id)) == id {
		return nil
	}
	plan, err := blobText(dir, id)
	if err != nil {
		return err
	}
	names, err := sqitchPlanChanges(plan)
	for _, name := range names {
		s.Migrations = append(s.Migrations, Migration{Up: filepath.Join(s.Dir, "deploy", name+".sql")})
	}
	return err
}

// ormBase lists the files of the ORM's directories in the base tree that it would
// load as migrations and that are gone from the work tree, by path: ormSet's listing,
// with the content read from the base only for those gone (a helper module beside
// the migrations is none), so a set with nothing deleted runs no git.
func (s *Set) ormBase(dir string, files map[string]string, tree treeFS, gone func(string) bool) {
	dirs := []string{s.Dir}
	if s.Runner == migration.Django {
		dirs = dirs[:0]
		apps, _ := tree.ReadDir(s.Dir) // s.Dir is the root of the apps
		for _, a := range apps {
			if a.Dir {
				dirs = append(dirs, filepath.Join(s.Dir, a.Name, "migrations"))
			}
		}
	}
	var paths []string
	for _, d := range dirs {
		entries, _ := tree.ReadDir(d)
		for _, e := range entries {
			p := filepath.Join(d, e.Name)
			if e.Dir || !s.ormName(e.Name) || !gone(p) {
				continue
			}
			if s.Runner != migration.Rails && s.Runner != migration.Knex {
				text, err := blobText(dir, files[p])
				if err != nil || orm.Detect(p, string(text), "") != s.Runner {
					continue
				}
			}
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		s.Migrations = append(s.Migrations, Migration{Up: p})
	}
}

// plainBase lists the base's plain set when each of its files is numbered (see
// deletedSince), and lists nothing otherwise.
func (s *Set) plainBase(tree treeFS) {
	if s.plain(tree) != nil {
		return
	}
	for _, m := range s.Migrations {
		if b := filepath.Base(m.Up); b == "" || b[0] < '0' || b[0] > '9' {
			s.Migrations = nil
			return
		}
	}
}

// treeFS lists a git tree's files (paths spelled like the set's directory) as
// directories; it reads no contents.
type treeFS map[string][]DirEntry

func newTreeFS(files map[string]string) treeFS {
	t := treeFS{}
	seen := map[string]bool{}
	for p := range files {
		dir, isDir := p, false
		for {
			parent := filepath.Dir(dir)
			key := parent + "\x00" + filepath.Base(dir)
			if parent == dir || seen[key] {
				break
			}
			seen[key] = true
			t[parent] = append(t[parent], DirEntry{Name: filepath.Base(dir), Dir: isDir})
			dir, isDir = parent, true
		}
	}
	return t
}

func (t treeFS) ReadFile(path string) ([]byte, error) { return nil, os.ErrNotExist }

func (t treeFS) ReadDir(dir string) ([]DirEntry, error) {
	e, ok := t[filepath.Clean(dir)]
	if !ok {
		return nil, os.ErrNotExist
	}
	return e, nil
}

// renameMatters says whether the runner sees the rename of a deployed migration from
// was to now: a new version runs it again, Flyway's validate compares the description
// too, and a name without a version (sqitch's change, a plain file) is its identity.
// A golang-migrate, goose or Rails file renamed within its version, or moved to
// another directory under the same name, is the same migration to its runner. The
// ORMs record what they record: Django the app and the name (app.0012_tag), Knex and
// Sequelize the file name, so any rename runs it again; Alembic the revision written
// in the file and TypeORM the class's name, so no rename of an unchanged file matters.
func renameMatters(s *Set, was, now string) bool {
	stem := func(p string) string {
		b := filepath.Base(p)
		return strings.TrimSuffix(b, filepath.Ext(b))
	}
	switch s.Runner {
	case migration.Flyway:
		return stem(was) != stem(now)
	case migration.Django:
		return djangoLabel(was) != djangoLabel(now)
	case migration.Knex, migration.Sequelize:
		return filepath.Base(was) != filepath.Base(now)
	case migration.Alembic, migration.TypeORM:
		return false
	}
	v, _ := parseVersion(stem(was), false)
	w, _ := parseVersion(stem(now), false)
	return v.text == "" || v.text != w.text
}

// blobID is git's object ID of a blob holding text: SHA-1, or SHA-256 for a
// repository in that object format (an ID of 64 hex digits).
func blobID(text string, idLen int) string {
	h := sha1.New()
	if idLen == 64 {
		h = sha256.New()
	}
	io.WriteString(h, "blob "+strconv.Itoa(len(text))+"\x00")
	io.WriteString(h, text)
	return hex.EncodeToString(h.Sum(nil))
}

// Count is the number of pending migrations.
func (p *Pending) Count() int {
	if p == nil {
		return 0
	}
	return len(p.pending)
}

// PendingOptions say how to decide which migrations are pending.
type PendingOptions struct {
	// DeployedThrough is the last deployed migration, from config: a version or a file
	// (or directory, or sqitch change) name. Migrations after it are pending.
	DeployedThrough string
	// Base is a git revision (check --base REF): migrations absent from its tree are
	// pending.
	Base string
	// NoGit turns the default off: without DeployedThrough or Base, nothing is pending.
	NoGit bool
}

// PendingOf decides which migrations of s are pending: after DeployedThrough; absent
// from Base's tree; by default (neither given), in a git work tree, absent from the
// merge-base of HEAD with its upstream branch, else with main or master (so
// uncommitted files and those committed only on this branch are pending). Outside git,
// with neither option, every migration counts as deployed.
func PendingOf(s *Set, opts PendingOptions) (*Pending, error) {
	p := &Pending{pending: map[string]bool{}}
	var hows []string
	if opts.DeployedThrough != "" {
		if err := p.afterDeployed(s, opts.DeployedThrough); err != nil {
			return nil, err
		}
		hows = append(hows, "after deployed_through "+opts.DeployedThrough)
	}
	base, how := opts.Base, ""
	if base == "" && opts.DeployedThrough == "" && !opts.NoGit {
		base, how = defaultBase(s.Dir)
	} else if base != "" {
		how = "absent from " + base
	}
	if base != "" {
		files, blobs, err := gitTree(s.Dir, base)
		if err != nil {
			return nil, err
		}
		var absent []string
		for _, m := range s.Migrations {
			if id, ok := files[filepath.Clean(m.Up)]; ok {
				if id == "" || reworked(s, m.Up) {
					// Not a file there (a submodule), or a sqitch change reworked: its
					// deploy script is edited in place by design (sqitch rework keeps
					// the old one as name@tag.sql, and deploys the change again).
					continue
				}
				if p.deployed == nil {
					p.deployed = map[string]string{}
				}
				p.deployed[filepath.Clean(m.Up)] = id
			} else {
				absent = append(absent, m.Up)
			}
		}
		p.base = strings.TrimPrefix(how, "absent from ")
		// A migration renamed since base (its text unchanged) has run: the tables it
		// created hold rows. Only files absent by path are hashed, so a set with
		// nothing new costs no extra git.
		renamed := renamedFrom(s.Dir, absent, blobs)
		p.deleted = deletedSince(s, files, renamed)
		for _, up := range absent {
			if was, ok := renamed[up]; ok {
				if !renameMatters(s, was, up) {
					continue
				}
				if p.renamed == nil {
					p.renamed = map[string]string{}
				}
				p.renamed[filepath.Clean(up)] = was
			} else {
				p.pending[up] = true
			}
		}
		hows = append(hows, how)
	}
	p.How = strings.Join(hows, "; ")
	return p, nil
}

// afterDeployed marks the migrations after the one deployed_through names.
func (p *Pending) afterDeployed(s *Set, through string) error {
	at := -1
	var apps []string // Django apps with a migration of that name
	for i, m := range s.Migrations {
		name := filepath.Base(m.Up)
		if s.Runner == "diesel" || s.Runner == "prisma" {
			name = filepath.Base(filepath.Dir(m.Up))
		}
		// Alembic records a revision, Django app.0042_name (app.0042 is enough here).
		if s.Runner == migration.Alembic && through == m.Version {
			at = i
		}
		if l := djangoLabel(m.Up); s.Runner == migration.Django && (through == l || strings.HasPrefix(l, through+"_")) {
			at = i
		}
		// The whole name, without its extension, or its leading part up to a
		// separator ("0042" for 0042_add_email.sql).
		if name == through || strings.TrimSuffix(name, ".sql") == through || strings.TrimSuffix(name, ".up.sql") == through ||
			strings.HasPrefix(name, through+"_") || strings.HasPrefix(name, through+".") || strings.HasPrefix(name, through+"-") {
			at = i
			if s.Runner == migration.Django {
				apps = append(apps, strings.SplitN(djangoLabel(m.Up), ".", 2)[0])
			}
		}
	}
	// Django numbers each app's migrations: a bare 0042 is one per app.
	if len(apps) > 1 {
		return fmt.Errorf("deployed_through %q names a migration of each of the apps %s: give it as app.%s", through, strings.Join(apps, ", "), through)
	}
	if at >= 0 {
		for _, m := range s.Migrations[at+1:] {
			p.pending[m.Up] = true
		}
		return nil
	}
	versioned := false
	for _, m := range s.Migrations {
		if m.Version != "" {
			versioned = true
		}
	}
	if !versioned || !isVersion(through) {
		return fmt.Errorf("deployed_through %q names no migration of the %s", through, s)
	}
	v := strings.ReplaceAll(strings.TrimPrefix(through, "V"), "_", ".")
	for _, m := range s.Migrations {
		if m.Repeatable || compareVersions(m.Version, v) > 0 {
			p.pending[m.Up] = true
		}
	}
	return nil
}

func isVersion(s string) bool {
	s = strings.TrimPrefix(s, "V")
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// gitTimeout bounds each git command: a hung git (a lock, a network filesystem) must
// not hang a check or the editor.
const gitTimeout = 10 * time.Second

func git(dir string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errOut.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return out.String(), nil
}

// defaultBase is the revision deployed migrations are judged against: the merge-base
// of HEAD with its upstream, else with main or master. "" outside a git work tree or
// when none of them exists; with no commit at all, everything is pending (the empty
// tree).
func defaultBase(dir string) (rev, how string) {
	if !mayBeInGit(dir) {
		return "", ""
	}
	if out, err := git(dir, "rev-parse", "--is-inside-work-tree"); err != nil || strings.TrimSpace(out) != "true" {
		return "", ""
	}
	if _, err := git(dir, "rev-parse", "--verify", "-q", "HEAD"); err != nil {
		return emptyTree, "no commit yet: every migration is pending"
	}
	for _, other := range []string{"@{upstream}", "main", "master", "origin/main", "origin/master"} {
		name := other
		if other == "@{upstream}" {
			up, err := git(dir, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
			if err != nil {
				continue
			}
			name = strings.TrimSpace(up)
		}
		mb, err := git(dir, "merge-base", "HEAD", name)
		if err != nil {
			continue
		}
		mb = strings.TrimSpace(mb)
		return mb, fmt.Sprintf("absent from the merge-base %.7s of HEAD and %s", mb, name)
	}
	return "", ""
}

// mayBeInGit says whether git could find a work tree around dir: $GIT_DIR or
// $GIT_WORK_TREE is set (git is asked), or dir or a directory above it holds .git.
// Outside git, asking it cost three processes per migration set (~4.5 ms of CPU a
// check over the shared corpus) to learn that nothing is pending.
func mayBeInGit(dir string) bool {
	if os.Getenv("GIT_DIR") != "" || os.Getenv("GIT_WORK_TREE") != "" {
		return true
	}
	_, ok := gitdir.Top(dir)
	return ok
}

// emptyTree is git's empty tree object: nothing is in it.
const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// reworked reports whether up is the deploy script of a sqitch change reworked: a
// name@tag.sql copy of an earlier version lies beside it.
func reworked(s *Set, up string) bool {
	if s.Runner != migration.Sqitch {
		return false
	}
	old, _ := filepath.Glob(strings.TrimSuffix(up, ".sql") + "@*.sql")
	return len(old) > 0
}

// gitTree lists the files under dir in rev's tree, as cleaned paths spelled like dir
// with the object IDs of their contents, and the paths by object ID.
func gitTree(dir, rev string) (files, blobs map[string]string, err error) {
	out, err := git(dir, "ls-tree", "-r", "-z", rev, "--", ".")
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", dir, err)
	}
	files, blobs = map[string]string{}, map[string]string{}
	for _, entry := range strings.Split(out, "\x00") {
		// "<mode> <type> <object>\t<name>"
		meta, name, ok := strings.Cut(entry, "\t")
		if !ok || name == "" {
			continue
		}
		if f := strings.Fields(meta); len(f) == 3 && f[1] == "blob" {
			files[filepath.Clean(filepath.Join(dir, name))] = f[2]
			blobs[f[2]] = filepath.Join(dir, name)
		} else {
			files[filepath.Clean(filepath.Join(dir, name))] = ""
		}
	}
	return files, blobs, nil
}

// renamedFrom maps those of the files (absent from the base tree by path) that have
// the contents of a file of it to that file's path: renamed or moved, not new. git hash-object gives the IDs
// the tree uses (its object format and clean filters); if it fails, none is.
func renamedFrom(dir string, files []string, blobs map[string]string) map[string]string {
	if len(files) == 0 || len(blobs) == 0 {
		return nil
	}
	abs := make([]string, len(files))
	for i, f := range files {
		a, err := filepath.Abs(f)
		if err != nil {
			return nil
		}
		abs[i] = a
	}
	out, err := git(dir, append([]string{"hash-object", "--"}, abs...)...)
	if err != nil {
		return nil
	}
	ids := strings.Fields(out)
	if len(ids) != len(files) {
		return nil
	}
	renamed := map[string]string{}
	for i, id := range ids {
		if was, ok := blobs[id]; ok {
			renamed[files[i]] = was
		}
	}
	return renamed
}
