package orm

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/migsafe/migsafe/engine/migration"
)

// SetFile is one migration of an ORM migration set, for ordering.
type SetFile struct {
	Path string
	Text string
	// Version is what Order found the ORM records of the migration once applied:
	// Rails' and TypeORM's timestamp, Alembic's revision ("" for the others, which
	// record names).
	Version string
}

var leadingNumber = regexp.MustCompile(`^(\d+)`)

// Order sorts an ORM migration set the way the ORM applies it: Rails by the version
// that starts the file name (numerically), TypeORM by the timestamp in the name,
// Knex and Sequelize by file name (as their migrators sort), Django by the
// dependencies graph (within and across apps), Alembic by the down_revision chain
// (merges included). It fails on a dependency cycle or an unknown revision, naming
// the file.
func Order(orm migration.Runner, files []SetFile) ([]SetFile, error) {
	out := append([]SetFile(nil), files...)
	switch orm {
	case migration.Django:
		return orderDjango(out)
	case migration.Alembic:
		return orderAlembic(out)
	case migration.Rails, migration.TypeORM:
		for i := range out {
			out[i].Version = leadingNumber.FindString(filepath.Base(out[i].Path))
		}
		sort.SliceStable(out, func(i, j int) bool {
			a, b := versionOf(out[i].Path), versionOf(out[j].Path)
			if a != b {
				return a < b
			}
			return out[i].Path < out[j].Path
		})
	default:
		sort.SliceStable(out, func(i, j int) bool { return filepath.Base(out[i].Path) < filepath.Base(out[j].Path) })
	}
	return out, nil
}

// versionOf is the number a Rails or TypeORM migration's file name starts with.
func versionOf(path string) uint64 {
	m := leadingNumber.FindString(filepath.Base(path))
	v, _ := strconv.ParseUint(m, 10, 64)
	return v
}

// topo orders nodes so each comes after the ones it depends on; ties keep the order
// of keys (sorted by the caller).
func topo(keys []string, deps map[string][]string, file map[string]SetFile) ([]SetFile, error) {
	state := map[string]int{} // 0 new, 1 visiting, 2 done
	var out []SetFile
	var visit func(k string, from string) error
	visit = func(k, from string) error {
		switch state[k] {
		case 1:
			return fmt.Errorf("%s: migration dependency cycle through %s", file[from].Path, k)
		case 2:
			return nil
		}
		f, ok := file[k]
		if !ok {
			return nil // a dependency outside the set (another project's app, base)
		}
		state[k] = 1
		for _, d := range deps[k] {
			if err := visit(d, k); err != nil {
				return err
			}
		}
		state[k] = 2
		out = append(out, f)
		return nil
	}
	for _, k := range keys {
		if err := visit(k, k); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// orderDjango orders by dependencies = [(app, name)]; run_before is honoured too.
func orderDjango(files []SetFile) ([]SetFile, error) {
	file := map[string]SetFile{}
	deps := map[string][]string{}
	var keys []string
	for _, f := range files {
		app := filepath.Base(filepath.Dir(filepath.Dir(f.Path)))
		key := app + "." + strings.TrimSuffix(filepath.Base(f.Path), ".py")
		file[key] = f
		keys = append(keys, key)
		root, _ := parsePython([]byte(f.Text))
		cls := pyMigrationClass(root, "Migration")
		if cls == nil {
			continue
		}
		for _, d := range pyAssign(cls, "dependencies").items() {
			if d.kind == kList && len(d.args) == 2 {
				deps[key] = append(deps[key], d.args[0].word()+"."+d.args[1].word())
			}
		}
		for _, d := range pyAssign(cls, "run_before").items() {
			if d.kind == kList && len(d.args) == 2 {
				before := d.args[0].word() + "." + d.args[1].word()
				deps[before] = append(deps[before], key)
			}
		}
	}
	sort.Strings(keys)
	return topo(keys, deps, file)
}

// orderAlembic orders by revision / down_revision (a tuple for merges, depends_on too).
func orderAlembic(files []SetFile) ([]SetFile, error) {
	file := map[string]SetFile{}
	deps := map[string][]string{}
	var keys []string
	for _, f := range files {
		root, _ := parsePython([]byte(f.Text))
		rev := ""
		var down []string
		for _, s := range root.body {
			if s.kind != kAssign {
				continue
			}
			name := strings.TrimSpace(strings.SplitN(s.name, ":", 2)[0])
			switch name {
			case "revision":
				rev = s.args[0].word()
			case "down_revision", "depends_on":
				down = append(down, s.args[0].words()...)
			}
		}
		if rev == "" {
			return nil, fmt.Errorf("%s: no revision identifier", f.Path)
		}
		if _, dup := file[rev]; dup {
			return nil, fmt.Errorf("%s: revision %s is also %s", f.Path, rev, file[rev].Path)
		}
		f.Version = rev
		file[rev] = f
		deps[rev] = down
		keys = append(keys, rev)
	}
	// Heads last: sort revisions by file name so unrelated branches keep a stable order.
	sort.Slice(keys, func(i, j int) bool { return file[keys[i]].Path < file[keys[j]].Path })
	return topo(keys, deps, file)
}
