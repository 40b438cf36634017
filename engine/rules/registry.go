package rules

import "sort"

// All is the registry, in the order `migsafe rules` prints it. Adding a rule touches
// its file, its fixture and one of the lists below.
var All = concat(lockRules, changeRules)

func concat(lists ...[]*Rule) []*Rule {
	var out []*Rule
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

var byID map[string]*Rule

func init() {
	byID = make(map[string]*Rule, len(All))
	for _, r := range All {
		if _, dup := byID[r.ID]; dup {
			panic("rules: duplicate rule ID " + r.ID)
		}
		byID[r.ID] = r
	}
}

// ByID finds a rule.
func ByID(id string) *Rule { return byID[id] }

// Known reports whether id names a rule.
func Known(id string) bool { return byID[id] != nil }

// IDs lists every rule ID, sorted.
func IDs() []string {
	ids := make([]string, 0, len(All))
	for _, r := range All {
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return ids
}
