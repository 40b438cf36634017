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

func parse(body string) ([]Stmt, error) {
	tag := "migsafe"
	for i := 0; strings.Contains(body, "$"+tag+"$"); i++ {
		tag = "migsafe" + strconv.Itoa(i)
	}
	out, err := pg.ParsePlPgSqlToJSON("DO $" + tag + "$" + body + "$" + tag + "$")
	if err != nil {
		return nil, err
	}
	var funcs []map[string]any
	if err := json.Unmarshal([]byte(out), &funcs); err != nil {
		return nil, fmt.Errorf("reading pg_query's PL/pgSQL tree: %w", err)
	}
	var stmts []Stmt
	for _, f := range funcs {
		walk(f, false, &stmts)
	}
	sort.SliceStable(stmts, func(i, j int) bool { return stmts[i].Line < stmts[j].Line })
	return stmts, nil
}

// walk collects the statements of a PL/pgSQL tree node (any JSON value), inException
// saying whether it lies in the body of a block with an EXCEPTION clause.
func walk(v any, inException bool, out *[]Stmt) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walk(e, inException, out)
		}
	case map[string]any:
		for key, val := range x {
			node, ok := val.(map[string]any)
			if !ok || !strings.HasPrefix(key, "PLpgSQL_stmt_") {
				walk(val, inException, out)
				continue
			}
			statement(strings.TrimPrefix(key, "PLpgSQL_stmt_"), node, inException, out)
		}
	}
}

// statement records one PL/pgSQL statement and walks the statements nested in it.
func statement(kind string, n map[string]any, inException bool, out *[]Stmt) {
	line := 0
	if l, ok := n["lineno"].(float64); ok {
		line = int(l)
	}
	add := func(k Kind, text string, perform bool) {
		*out = append(*out, Stmt{Kind: k, Line: line, Text: text, Perform: perform, InException: inException})
	}
	switch kind {
	case "execsql":
		add(SQL, query(n["sqlstmt"]), false)
	case "perform":
		add(SQL, query(n["expr"]), true)
	case "call":
		add(SQL, query(n["expr"]), false)
	case "fors", "return_query", "open":
		if q := query(n["query"]); q != "" {
			add(SQL, q, false)
		}
		if q := query(n["dynquery"]); q != "" {
			add(Dynamic, q, false)
		}
	case "dynexecute", "dynfors":
		add(Dynamic, query(n["query"]), false)
	case "commit":
		add(TxControl, "COMMIT", false)
	case "rollback":
		add(TxControl, "ROLLBACK", false)
	case "block":
		// The body of a block with exception handlers runs in a subtransaction; the
		// handlers run after it has been rolled back.
		_, handled := n["exceptions"]
		walk(n["body"], inException || handled, out)
		walk(n["exceptions"], inException, out)
		return
	}
	for key, val := range n {
		if key != "sqlstmt" && key != "expr" && key != "query" && key != "dynquery" {
			walk(val, inException, out)
		}
	}
}

// query is the text of a PLpgSQL_expr node; "" when there is none.
func query(v any) string {
	expr, _ := v.(map[string]any)
	inner, _ := expr["PLpgSQL_expr"].(map[string]any)
	q, _ := inner["query"].(string)
	return q
}
