// Package plpgsql reads the body of a DO block with pg_query's PL/pgSQL parser (the
// one PostgreSQL compiles the block with): the SQL statements it runs, the SQL it
// builds at run time (EXECUTE), and its COMMITs and ROLLBACKs, each with the line of
// the body it is on and its text as PostgreSQL sends it.
package plpgsql

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v5"
)

// Kind is what a body statement does.
type Kind int

const (
	// SQL is a static SQL statement: a plain statement, PERFORM (sent as SELECT), CALL,
	// RETURN QUERY, the query of FOR ... IN and of OPEN ... FOR.
	SQL Kind = iota
	// Dynamic is SQL built at run time: EXECUTE, FOR ... IN EXECUTE, OPEN ... FOR
	// EXECUTE, RETURN QUERY EXECUTE. Text is the expression that builds it.
	Dynamic
	// TxControl is COMMIT or ROLLBACK (PostgreSQL 11+). Text is the keyword.
	TxControl
)

// Stmt is one statement of a body.
type Stmt struct {
	Kind Kind
	// Line is the 1-based line of the body the statement starts on.
	Line int
	// Text is what PostgreSQL runs: a verbatim slice of the body, except that an INTO
	// clause is blanked (or, at the end, cut) and PERFORM is replaced by SELECT.
	Text string
	// Perform marks a PERFORM statement (Text starts with SELECT).
	Perform bool
	// InException marks a statement in the body of a block with an EXCEPTION clause,
	// which runs as a subtransaction: COMMIT and ROLLBACK fail there.
	InException bool
}

// Parse parses a DO block's body (the text inside its quotes) and returns its
// statements ordered by line. An error means PL/pgSQL would not compile it, or
// pg_query's parser would not: it compiles without a database, so a type or variable
// it cannot resolve (a %ROWTYPE of a table, a cursor variable) can fail here and not
// on a server.
//
// Results are remembered for the last few hundred bodies: the lock classification and
// the statement reader both parse each DO body, and the language server does so on
// every keystroke. The returned slice is shared and must not be modified.
func Parse(body string) ([]Stmt, error) {
	memo.Lock()
	r, ok := memo.m[body]
	memo.Unlock()
	if ok {
		return r.stmts, r.err
	}
	stmts, err := parse(body)
	memo.Lock()
	if len(memo.m) >= memoSize {
		memo.m = nil // start over rather than track recency: bodies change rarely
	}
	if memo.m == nil {
		memo.m = make(map[string]parsed, memoSize)
	}
	memo.m[body] = parsed{stmts, err}
	memo.Unlock()
	return stmts, err
}

const memoSize = 256

type parsed struct {
	stmts []Stmt
	err   error
}

var memo struct {
	sync.Mutex
	m map[string]parsed
}

// treeJSON is pg_query's PL/pgSQL tree of body as JSON, the body quoted with a
// dollar tag it does not contain.
func treeJSON(body string) (string, error) {
	tag := "migsafe"
	for i := 0; strings.Contains(body, "$"+tag+"$"); i++ {
		tag = "migsafe" + strconv.Itoa(i)
	}
	return pg.ParsePlPgSqlToJSON("DO $" + tag + "$" + body + "$" + tag + "$")
}

func parse(body string) ([]Stmt, error) {
	out, err := treeJSON(body)
	if err != nil {
		return nil, err
	}
	// The tree is read by the small reader below rather than into encoding/json's maps
	// and interfaces: that decoding was most of the cost of a body (2 ms of a check
	// over the corpus).
	r := reader{src: out}
	funcs, err := r.document()
	if err != nil {
		return nil, fmt.Errorf("reading pg_query's PL/pgSQL tree: %w", err)
	}
	var stmts []Stmt
	walk(funcs, false, &stmts)
	sort.SliceStable(stmts, func(i, j int) bool { return stmts[i].Line < stmts[j].Line })
	return stmts, nil
}

// walk collects the statements of a PL/pgSQL tree node (any JSON value), inException
// saying whether it lies in the body of a block with an EXCEPTION clause.
func walk(v *value, inException bool, out *[]Stmt) {
	if v == nil {
		return
	}
	for _, e := range v.elems {
		walk(e, inException, out)
	}
	for _, m := range v.members {
		if m.val.kind != object || !strings.HasPrefix(m.key, "PLpgSQL_stmt_") {
			walk(m.val, inException, out)
			continue
		}
		statement(strings.TrimPrefix(m.key, "PLpgSQL_stmt_"), m.val, inException, out)
	}
}

// statement records one PL/pgSQL statement and walks the statements nested in it.
func statement(kind string, n *value, inException bool, out *[]Stmt) {
	line := 0
	if l := n.get("lineno"); l != nil && l.kind == number {
		line = int(l.num)
	}
	add := func(k Kind, text string, perform bool) {
		*out = append(*out, Stmt{Kind: k, Line: line, Text: text, Perform: perform, InException: inException})
	}
	switch kind {
	case "execsql":
		add(SQL, query(n.get("sqlstmt")), false)
	case "perform":
		add(SQL, query(n.get("expr")), true)
	case "call":
		add(SQL, query(n.get("expr")), false)
	case "fors", "return_query", "open":
		if q := query(n.get("query")); q != "" {
			add(SQL, q, false)
		}
		if q := query(n.get("dynquery")); q != "" {
			add(Dynamic, q, false)
		}
	case "dynexecute", "dynfors":
		add(Dynamic, query(n.get("query")), false)
	case "commit":
		add(TxControl, "COMMIT", false)
	case "rollback":
		add(TxControl, "ROLLBACK", false)
	case "block":
		// The body of a block with exception handlers runs in a subtransaction; the
		// handlers run after it has been rolled back.
		exceptions := n.get("exceptions")
		walk(n.get("body"), inException || exceptions != nil, out)
		walk(exceptions, inException, out)
		return
	}
	for _, m := range n.members {
		if m.key != "sqlstmt" && m.key != "expr" && m.key != "query" && m.key != "dynquery" {
			walk(m.val, inException, out)
		}
	}
}

// query is the text of a PLpgSQL_expr node; "" when there is none. It is copied out
// of the tree's text, which the remembered results would otherwise keep alive.
func query(v *value) string {
	if q := v.get("PLpgSQL_expr").get("query"); q != nil && q.kind == str {
		return strings.Clone(q.str)
	}
	return ""
}

// A value is a JSON value of pg_query's PL/pgSQL tree: an object's members in their
// order, an array's elements, a string or a number (true, false and null are kept
// as their kind alone: the walk reads none of them).
type value struct {
	kind    kind
	str     string
	num     float64
	elems   []*value
	members []member
}

type kind uint8

const (
	other kind = iota
	object
	array
	str
	number
)

type member struct {
	key string
	val *value
}

// get is an object's member named key (the last one, as encoding/json keeps); nil
// when v is nil, not an object, or has none.
func (v *value) get(key string) *value {
	if v == nil {
		return nil
	}
	for i := len(v.members) - 1; i >= 0; i-- {
		if v.members[i].key == key {
			return v.members[i].val
		}
	}
	return nil
}

// reader reads one JSON document. Strings without escapes are slices of src; those
// with escapes, or with bytes that are not UTF-8, are decoded by encoding/json, so
// that every string reads as it did through encoding/json.
type reader struct {
	src string
	at  int
}

func (r *reader) document() (*value, error) {
	v, err := r.value(0)
	if err != nil {
		return nil, err
	}
	if r.space(); r.at != len(r.src) {
		return nil, r.errorf("text after the value")
	}
	return v, nil
}

// maxDepth bounds the nesting, as encoding/json does (10,000 levels).
const maxDepth = 10000

func (r *reader) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: "+format, append([]any{r.at}, args...)...)
}

func (r *reader) space() {
	for r.at < len(r.src) {
		switch r.src[r.at] {
		case ' ', '\t', '\n', '\r':
			r.at++
		default:
			return
		}
	}
}

func (r *reader) value(depth int) (*value, error) {
	if depth > maxDepth {
		return nil, r.errorf("nested too deeply")
	}
	r.space()
	if r.at >= len(r.src) {
		return nil, r.errorf("unexpected end")
	}
	switch c := r.src[r.at]; {
	case c == '{':
		r.at++
		v := &value{kind: object}
		r.space()
		if r.at < len(r.src) && r.src[r.at] == '}' {
			r.at++
			return v, nil
		}
		for {
			r.space()
			key, err := r.string()
			if err != nil {
				return nil, err
			}
			if r.space(); r.at >= len(r.src) || r.src[r.at] != ':' {
				return nil, r.errorf("want ':'")
			}
			r.at++
			val, err := r.value(depth + 1)
			if err != nil {
				return nil, err
			}
			v.members = append(v.members, member{key, val})
			if done, err := r.next('}'); err != nil || done {
				return v, err
			}
		}
	case c == '[':
		r.at++
		v := &value{kind: array}
		r.space()
		if r.at < len(r.src) && r.src[r.at] == ']' {
			r.at++
			return v, nil
		}
		for {
			e, err := r.value(depth + 1)
			if err != nil {
				return nil, err
			}
			v.elems = append(v.elems, e)
			if done, err := r.next(']'); err != nil || done {
				return v, err
			}
		}
	case c == '"':
		s, err := r.string()
		if err != nil {
			return nil, err
		}
		return &value{kind: str, str: s}, nil
	case c == '-' || '0' <= c && c <= '9':
		start := r.at
		for r.at < len(r.src) && strings.IndexByte("+-.eE0123456789", r.src[r.at]) >= 0 {
			r.at++
		}
		f, err := strconv.ParseFloat(r.src[start:r.at], 64)
		if err != nil {
			return nil, r.errorf("number %q", r.src[start:r.at])
		}
		return &value{kind: number, num: f}, nil
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if strings.HasPrefix(r.src[r.at:], lit) {
				r.at += len(lit)
				return &value{kind: other}, nil
			}
		}
		return nil, r.errorf("unexpected %q", c)
	}
}

// next reads the ',' between elements or the closing byte; done after the latter.
func (r *reader) next(closing byte) (done bool, err error) {
	r.space()
	if r.at >= len(r.src) {
		return false, r.errorf("unexpected end")
	}
	switch r.src[r.at] {
	case ',':
		r.at++
		return false, nil
	case closing:
		r.at++
		return true, nil
	}
	return false, r.errorf("want ',' or %q", closing)
}

// string reads a string token at r.at.
func (r *reader) string() (string, error) {
	if r.at >= len(r.src) || r.src[r.at] != '"' {
		return "", r.errorf("want a string")
	}
	start := r.at
	plain := true
	for i := start + 1; i < len(r.src); i++ {
		switch c := r.src[i]; {
		case c == '"':
			r.at = i + 1
			if s := r.src[start+1 : i]; plain && utf8.ValidString(s) {
				return s, nil
			}
			var s string
			if err := json.Unmarshal([]byte(r.src[start:r.at]), &s); err != nil {
				return "", err
			}
			return s, nil
		case c == '\\':
			plain = false
			i++ // the escaped byte cannot end the string
		case c < 0x20:
			plain = false // encoding/json refuses it
		}
	}
	return "", r.errorf("unterminated string")
}
