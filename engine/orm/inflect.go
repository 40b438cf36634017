package orm

import (
	"strings"
	"unicode"
)

// English inflection as ActiveSupport does it for table and column names: the default
// rules and irregular words of ActiveSupport's inflections.rb, enough for the names
// migrations use (add_reference :posts, :author -> authors; User -> users).

var irregular = map[string]string{
	"person": "people", "man": "men", "child": "children", "sex": "sexes", "move": "moves", "zombie": "zombies",
}

var uncountable = map[string]bool{
	"equipment": true, "information": true, "rice": true, "money": true, "species": true, "series": true,
	"fish": true, "sheep": true, "jeans": true, "police": true, "metadata": true, "data": true,
}

var pluralRules = [][2]string{
	{"quiz", "quizzes"}, {"matrix", "matrices"}, {"vertex", "vertices"}, {"index", "indices"},
	{"ox", "oxen"}, {"mouse", "mice"}, {"louse", "lice"},
	{"ix", "ices"}, {"ex", "ices"},
	{"ch", "ches"}, {"sh", "shes"}, {"ss", "sses"}, {"x", "xes"},
	{"alias", "aliases"}, {"status", "statuses"}, {"bus", "buses"}, {"octopus", "octopi"}, {"virus", "viri"},
	{"crisis", "crises"}, {"axis", "axes"}, {"testis", "testes"},
	{"sis", "ses"},
	{"fe", "ves"}, {"lf", "lves"}, {"rf", "rves"},
	{"hive", "hives"}, {"tive", "tives"},
	{"quy", "quies"},
	{"person", "people"},
}

// pluralize is ActiveSupport's String#pluralize on the last word of an underscored name.
func pluralize(w string) string {
	head, last := splitLast(w)
	lower := strings.ToLower(last)
	if uncountable[lower] {
		return w
	}
	if p, ok := irregular[lower]; ok {
		return head + p
	}
	for _, r := range pluralRules {
		if strings.HasSuffix(lower, r[0]) {
			return head + last[:len(last)-len(r[0])] + r[1]
		}
	}
	switch {
	case strings.HasSuffix(lower, "s"):
		return w
	case strings.HasSuffix(lower, "y") && len(lower) > 1 && !strings.ContainsRune("aeiou", rune(lower[len(lower)-2])):
		return head + last[:len(last)-1] + "ies"
	}
	return w + "s"
}

var singularRules = [][2]string{
	{"quizzes", "quiz"}, {"matrices", "matrix"}, {"vertices", "vertex"}, {"indices", "index"},
	{"oxen", "ox"}, {"mice", "mouse"}, {"aliases", "alias"}, {"statuses", "status"}, {"buses", "bus"},
	{"octopi", "octopus"}, {"viri", "virus"}, {"crises", "crisis"}, {"axes", "axis"},
	{"movies", "movie"}, {"series", "series"},
	{"ches", "ch"}, {"shes", "sh"}, {"sses", "ss"}, {"xes", "x"},
	{"ives", "ive"}, {"lves", "lf"}, {"rves", "rf"}, {"ves", "fe"},
	{"ies", "y"}, {"ses", "s"},
	{"ss", "ss"}, {"us", "us"}, {"is", "is"},
}

// singularize is ActiveSupport's String#singularize on the last word.
func singularize(w string) string {
	head, last := splitLast(w)
	lower := strings.ToLower(last)
	if uncountable[lower] {
		return w
	}
	for s, p := range irregular {
		if lower == p {
			return head + s
		}
	}
	for _, r := range singularRules {
		if strings.HasSuffix(lower, r[0]) {
			return head + last[:len(last)-len(r[0])] + r[1]
		}
	}
	if strings.HasSuffix(lower, "s") {
		return head + last[:len(last)-1]
	}
	return w
}

func splitLast(w string) (head, last string) {
	if i := strings.LastIndexByte(w, '_'); i >= 0 {
		return w[:i+1], w[i+1:]
	}
	return "", w
}

// underscore is ActiveSupport's String#underscore: Admin::UserRole -> admin/user_role.
func underscore(w string) string {
	w = strings.ReplaceAll(w, "::", "/")
	var b strings.Builder
	rs := []rune(w)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && rs[i-1] != '/' && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tableize is the table name ActiveRecord gives a model class.
func tableize(class string) string {
	u := underscore(class)
	if i := strings.LastIndexByte(u, '/'); i >= 0 {
		u = u[i+1:]
	}
	return pluralize(u)
}
