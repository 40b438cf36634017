package coderefs

import (
	"strings"
	"unicode"
)

// snake is a class name in snake case, as Rails, TypeORM and Go ORMs derive table
// names: UserProfile -> user_profile, HTTPLog -> http_log.
func snake(name string) string {
	rs := []rune(name)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// irregular plurals Rails' inflector knows (ActiveSupport's inflections.rb).
var irregular = map[string]string{
	"person": "people", "man": "men", "woman": "women", "child": "children", "sex": "sexes",
	"move": "moves", "zombie": "zombies", "ox": "oxen", "mouse": "mice", "quiz": "quizzes",
}

var uncountable = map[string]bool{
	"equipment": true, "information": true, "rice": true, "money": true, "species": true,
	"series": true, "fish": true, "sheep": true, "jeans": true, "police": true,
}

// plural is the English plural of the last word of a snake_case name, by the rules of
// ActiveSupport's inflector that matter for table names: user -> users, category ->
// categories, address -> addresses, person -> people.
func plural(s string) string {
	prefix, word := splitLastWord(s)
	if uncountable[word] {
		return s
	}
	if p, ok := irregular[word]; ok {
		return prefix + p
	}
	switch {
	case strings.HasSuffix(word, "s") || strings.HasSuffix(word, "x") || strings.HasSuffix(word, "z") ||
		strings.HasSuffix(word, "ch") || strings.HasSuffix(word, "sh"):
		return prefix + word + "es"
	case strings.HasSuffix(word, "y") && len(word) > 1 && !strings.ContainsRune("aeiou", rune(word[len(word)-2])):
		return prefix + word[:len(word)-1] + "ies"
	case strings.HasSuffix(word, "fe"):
		return prefix + word[:len(word)-2] + "ves"
	case strings.HasSuffix(word, "lf") || strings.HasSuffix(word, "rf"):
		return prefix + word[:len(word)-1] + "ves"
	}
	return prefix + word + "s"
}

// singular undoes plural for a table name: users -> user, categories -> category.
func singular(s string) string {
	prefix, word := splitLastWord(s)
	if uncountable[word] {
		return s
	}
	for one, many := range irregular {
		if word == many {
			return prefix + one
		}
	}
	switch {
	case strings.HasSuffix(word, "ies") && len(word) > 3:
		return prefix + word[:len(word)-3] + "y"
	case strings.HasSuffix(word, "ves"):
		return prefix + word[:len(word)-3] + "f"
	case strings.HasSuffix(word, "sses") || strings.HasSuffix(word, "xes") || strings.HasSuffix(word, "ches") || strings.HasSuffix(word, "shes") || strings.HasSuffix(word, "zes"):
		return prefix + word[:len(word)-2]
	case strings.HasSuffix(word, "s") && !strings.HasSuffix(word, "ss"):
		return prefix + word[:len(word)-1]
	}
	return s
}

func splitLastWord(s string) (string, string) {
	if i := strings.LastIndexByte(s, '_'); i >= 0 {
		return s[:i+1], s[i+1:]
	}
	return "", s
}
