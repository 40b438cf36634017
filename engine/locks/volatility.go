package locks

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/engine/sqlast"
)

// Volatility is how often PostgreSQL evaluates an expression: an IMMUTABLE or STABLE
// expression used as a column default is computed once, so from PostgreSQL 11 ADD
// COLUMN stores that one value in the catalog; a VOLATILE one is computed for every
// row, so the table is rewritten.
type Volatility int

const (
	// NotVolatile: every function called is STABLE or IMMUTABLE (or there is none).
	NotVolatile Volatility = iota
	// MaybeVolatile: a function migsafe has no volatility for, or one whose overloads
	// differ, so whether it rewrites depends on which overload the server picks.
	MaybeVolatile
	// Volatile: a function called is VOLATILE in every overload.
	Volatile
)

// Function is the volatility of one function by name: the distinct
// pg_proc.provolatile letters of its overloads ("i" immutable, "s" stable, "v"
// volatile), per server version. The oracle test checks every entry against
// pg_proc on every major, and runs Example as a column default to see whether the
// table really is rewritten.
type Function struct {
	Name string
	// Example is a call of the function with constant arguments.
	Example string
	// Extension is the extension that provides the function ("" for built-ins); on
	// majors before BuiltinFrom it exists only once the extension is installed.
	Extension   string
	BuiltinFrom int
	// From is the first major that has the function at all (0: every major).
	From    int
	classes []versionedClasses
}

type versionedClasses struct {
	from    int
	letters string
}

// Classes returns the sorted provolatile letters of the function's overloads on major
// v ("is": immutable and stable overloads); "" when v does not have the function.
func (f *Function) Classes(v int) string {
	if v < f.From {
		return ""
	}
	c := f.classes[0].letters
	for _, vc := range f.classes[1:] {
		if v >= vc.from {
			c = vc.letters
		}
	}
	return c
}

func fn(name, example, letters string, later ...versionedClasses) *Function {
	return &Function{Name: name, Example: example, classes: append([]versionedClasses{{0, letters}}, later...)}
}

func classesFrom(v int, letters string) versionedClasses { return versionedClasses{v, letters} }

// ext is a function an extension provides (built in from builtinFrom when not 0).
func ext(extension string, builtinFrom int, name, example, letters string) *Function {
	f := fn(name, example, letters)
	f.Extension, f.BuiltinFrom = extension, builtinFrom
	return f
}

// since is a built-in function that first appeared in major from.
func since(from int, name, example, letters string) *Function {
	f := fn(name, example, letters)
	f.From = from
	return f
}

// Functions are the functions migrations call in column defaults and backfills, with
// their volatility as pg_proc states it. A function not listed is MaybeVolatile.
var Functions = []*Function{
	// Volatile: a new value per call, so per row.
	fn("random", "random()", "v"),
	fn("clock_timestamp", "clock_timestamp()", "v"),
	fn("timeofday", "timeofday()", "v"),
	fn("nextval", "nextval('oracle_seq')", "v"),
	fn("currval", "currval('oracle_seq')", "v"),
	ext("pgcrypto", 13, "gen_random_uuid", "gen_random_uuid()", "v"),
	ext("pgcrypto", 0, "gen_random_bytes", "gen_random_bytes(8)", "v"),
	ext("pgcrypto", 0, "gen_salt", "gen_salt('md5')", "v"),
	ext("uuid-ossp", 0, "uuid_generate_v1", "uuid_generate_v1()", "v"),
	ext("uuid-ossp", 0, "uuid_generate_v1mc", "uuid_generate_v1mc()", "v"),
	ext("uuid-ossp", 0, "uuid_generate_v4", "uuid_generate_v4()", "v"),
	since(16, "random_normal", "random_normal()", "v"),
	since(18, "uuidv4", "uuidv4()", "v"),
	since(18, "uuidv7", "uuidv7()", "v"),
	// Stable: one value per statement (the time functions: per transaction or statement).
	fn("now", "now()", "s"),
	fn("transaction_timestamp", "transaction_timestamp()", "s"),
	fn("statement_timestamp", "statement_timestamp()", "s"),
	fn("current_setting", "current_setting('TimeZone')", "s"),
	// current_user and session_user are keywords: written as calls they need quotes.
	fn("current_user", `"current_user"()`, "s"),
	fn("session_user", `"session_user"()`, "s"),
	fn("current_schema", "current_schema()", "s"),
	fn("current_database", "current_database()", "s"),
	fn("txid_current", "txid_current()", "s"),
	since(13, "pg_current_xact_id", "pg_current_xact_id()", "s"),
	fn("to_char", "to_char(42, '999')", "s"),
	fn("to_date", "to_date('2024-01-01', 'YYYY-MM-DD')", "s"),
	fn("to_json", "to_json('x'::text)", "s"),
	fn("to_jsonb", "to_jsonb('x'::text)", "s"),
	fn("json_build_object", "json_build_object('a', 1)", "s"),
	fn("jsonb_build_object", "jsonb_build_object('a', 1)", "s"),
	fn("json_build_array", "json_build_array(1, 2)", "s"),
	fn("jsonb_build_array", "jsonb_build_array(1, 2)", "s"),
	fn("concat", "concat('a', 1)", "s"),
	fn("concat_ws", "concat_ws('-', 'a', 1)", "s"),
	fn("format", "format('%s', 1)", "s"),
	fn("array_to_string", "array_to_string(ARRAY[1, 2], ',')", "s"),
	fn("make_timestamptz", "make_timestamptz(2024, 1, 1, 0, 0, 0)", "s"),
	// Overloads of both kinds that never volatile: no rewrite either way.
	fn("to_timestamp", "to_timestamp(0)", "is"),
	fn("date_trunc", "date_trunc('day', now())", "is"),
	fn("date_part", "date_part('year', now())", "is"),
	since(14, "extract", "extract(year FROM now())", "is"),
	fn("age", "age(now())", "is"),
	fn("date", "date(now())", "is"),
	fn("length", "length('abc')", "is"),
	fn("to_tsvector", "to_tsvector('simple', 'a b')", "is"),
	// AT TIME ZONE calls timezone(); before PostgreSQL 15 its time-with-time-zone
	// overload was volatile, so the rewrite depends on the argument's type.
	fn("timezone", "timezone('UTC', now())", "iv", classesFrom(15, "is")),
	// Immutable.
	fn("lower", "lower('A')", "i"),
	fn("upper", "upper('a')", "i"),
	fn("initcap", "initcap('a')", "i"),
	fn("btrim", "btrim(' a ')", "i"),
	fn("replace", "replace('a', 'a', 'b')", "i"),
	fn("left", "left('abc', 1)", "i"),
	fn("right", "right('abc', 1)", "i"),
	fn("split_part", "split_part('a,b', ',', 1)", "i"),
	fn("md5", "md5('a')", "i"),
	fn("abs", "abs(-1)", "i"),
	fn("round", "round(1.5)", "i"),
	fn("make_interval", "make_interval(days => 1)", "i"),
	fn("make_date", "make_date(2024, 1, 1)", "i"),
	fn("make_timestamp", "make_timestamp(2024, 1, 1, 0, 0, 0)", "i"),
	fn("string_to_array", "string_to_array('a,b', ',')", "i"),
	fn("array_fill", "array_fill(0, ARRAY[2])", "i"),
	fn("json_object", "json_object('{a,1}')", "i"),
	fn("jsonb_object", "jsonb_object('{a,1}')", "i"),
	fn("encode", "encode('a'::bytea, 'hex')", "i"),
	fn("decode", "decode('00', 'hex')", "i"),
	ext("pgcrypto", 0, "digest", "digest('a', 'sha256')", "i"),
	ext("pgcrypto", 0, "crypt", "crypt('a', '$1$abcdefgh')", "i"),
	ext("uuid-ossp", 0, "uuid_nil", "uuid_nil()", "i"),
	ext("uuid-ossp", 0, "uuid_generate_v3", "uuid_generate_v3(uuid_nil(), 'x')", "i"),
	ext("uuid-ossp", 0, "uuid_generate_v5", "uuid_generate_v5(uuid_nil(), 'x')", "i"),
}

var functionsByName = func() map[string]*Function {
	m := make(map[string]*Function, len(Functions))
	for _, f := range Functions {
		if m[f.Name] != nil {
			panic("locks: duplicate volatility entry " + f.Name)
		}
		m[f.Name] = f
	}
	return m
}()

// FunctionByName finds a function of the volatility table; nil when it is not there.
func FunctionByName(name string) *Function { return functionsByName[strings.ToLower(name)] }

// FunctionVolatility is the volatility of a call of the named function (unqualified,
// or qualified with pg_catalog) on major v.
func FunctionVolatility(name string, v int) Volatility {
	f := FunctionByName(name)
	if f == nil {
		return MaybeVolatile
	}
	c := f.Classes(v)
	switch {
	case c == "":
		return MaybeVolatile // not on this version: a user function of that name
	case c == "v":
		return Volatile
	case strings.Contains(c, "v"):
		return MaybeVolatile
	}
	return NotVolatile
}

// ExprVolatility is the volatility of an expression on major v: the most volatile of
// the functions it calls, and the name of that function ("" when NotVolatile). The
// SQL-syntax value functions (CURRENT_TIMESTAMP, CURRENT_DATE, LOCALTIME,
// CURRENT_USER, ...) are stable, as are casts, CASE, COALESCE and operators on
// built-in types.
func ExprVolatility(n *pg.Node, v int) (Volatility, string) {
	worst, name := NotVolatile, ""
	sqlast.Walk(n, func(x *pg.Node) {
		fc := x.GetFuncCall()
		if fc == nil {
			return
		}
		if len(fc.Funcname) > 1 && !strings.EqualFold(fc.Funcname[0].GetString_().GetSval(), "pg_catalog") {
			// A schema-qualified call of a function outside pg_catalog is a user's,
			// whatever its name.
			if worst < MaybeVolatile {
				worst, name = MaybeVolatile, sqlast.QualifiedName(fc.Funcname)
			}
			return
		}
		fname := strings.ToLower(sqlast.LastName(fc.Funcname))
		if vol := FunctionVolatility(fname, v); vol > worst {
			worst, name = vol, fname
		}
	})
	return worst, name
}

// IsVolatile reports whether an expression may be volatile on the newest major
// migsafe knows: it calls a volatile function, or one migsafe has no volatility for.
func IsVolatile(n *pg.Node) bool {
	vol, _ := ExprVolatility(n, Versions[len(Versions)-1])
	return vol != NotVolatile
}
