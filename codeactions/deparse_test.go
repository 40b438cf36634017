package codeactions

import (
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v5"

	"github.com/migsafe/migsafe/internal/corpus"
	"github.com/migsafe/migsafe/internal/pgtree"
)

// typeNames are the types named in the text's casts and column definitions, as
// pg_query_go's own Parse reads them.
func typeNames(t *testing.T, text string) []*pg.TypeName {
	res, err := pg.Parse(text)
	if err != nil {
		return nil
	}
	var out []*pg.TypeName
	for _, rs := range res.Stmts {
		pgtree.Walk(rs.Stmt, func(n *pg.Node) {
			if cd := n.GetColumnDef(); cd != nil && cd.TypeName != nil {
				out = append(out, cd.TypeName)
			}
			if tc := n.GetTypeCast(); tc != nil && tc.TypeName != nil {
				out = append(out, tc.TypeName)
			}
		})
	}
	return out
}

// TypeName writes what the deparser writes, for the shapes it writes itself and for
// those it asks the deparser about: every type named in the corpus and the special
// cases of deparseTypeName.
func TestTypeNameIsTheDeparsers(t *testing.T) {
	var all []*pg.TypeName
	for _, f := range corpus.SQLFiles(t) {
		all = append(all, typeNames(t, f.Text)...)
	}
	edge := typeNames(t, `SELECT NULL::int, NULL::integer, NULL::smallint, NULL::bigint, NULL::real, NULL::float,
		NULL::float(10), NULL::double precision, NULL::numeric(10, 2), NULL::decimal, NULL::boolean, NULL::char,
		NULL::char(3), NULL::varchar, NULL::character varying(255), NULL::bpchar, NULL::text[], NULL::int[3][],
		NULL::time, NULL::time(3), NULL::timetz, NULL::time with time zone, NULL::time(2) with time zone,
		NULL::timestamp(6), NULL::timestamptz, NULL::timestamp(3) with time zone, NULL::interval,
		NULL::interval hour to minute, NULL::interval(3), NULL::interval second(2), NULL::point, NULL::bit(8),
		NULL::bit varying(4), NULL::"Mixed"."Case", NULL::public.user, NULL::"select", NULL::a$b,
		NULL::pg_catalog.int4, NULL::pg_catalog.json, NULL::geometry(Point, 4326), NULL::vector(3),
		NULL::"with""quote", NULL::json, NULL::jsonb[], NULL::uuid, NULL::"user"[],
		NULL::geometry(geometry, 4326), NULL::geography("Point", 4326), NULL::geometry(pointz), NULL::timetz(3),
		NULL::timestamptz(2)[], NULL::pg_catalog.timestamptz, NULL::timestamp(6) with time zone[3]`)
	all = append(all, edge...)
	written := 0
	for _, tn := range all {
		want, wok := deparsedTypeName(tn)
		got, ok := TypeName(tn)
		if got != want || ok != wok {
			t.Errorf("%v: TypeName %q %v, the deparser %q %v", tn.Names, got, ok, want, wok)
		}
		if _, ok := typeNameText(tn); ok {
			written++
		}
	}
	if len(edge) < 40 || written < len(all)/2 {
		t.Fatalf("%d types (%d edge cases), %d written without the deparser", len(all), len(edge), written)
	}
	t.Logf("%d types, %d written without the deparser", len(all), written)
}

// scannerIdent is Ident as it was asked of pg_query's scanner.
func scannerIdent(name string) string {
	plain := name != ""
	for i, c := range name {
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && (c >= '0' && c <= '9' || c == '$')) {
			plain = false
		}
	}
	if plain {
		if r, err := pg.Scan(name); err == nil && len(r.Tokens) == 1 {
			k := r.Tokens[0].KeywordKind
			if k == pg.KeywordKind_NO_KEYWORD || k == pg.KeywordKind_UNRESERVED_KEYWORD {
				return name
			}
		}
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Ident quotes exactly what PostgreSQL's scanner says needs quoting, for every
// keyword of the grammar and every word of the corpus.
func TestIdentIsTheScanners(t *testing.T) {
	words := map[string]bool{"": true, "a$": true, "_x1": true, "Upper": true, `we"ird`: true, "1a": true, "é": true}
	for _, name := range pg.Token_name {
		words[strings.ToLower(strings.TrimSuffix(name, "_P"))] = true
	}
	for _, f := range corpus.SQLFiles(t) {
		res, err := pg.Scan(f.Text)
		if err != nil {
			continue
		}
		for _, tok := range res.Tokens {
			words[strings.ToLower(f.Text[tok.Start:tok.End])] = true
		}
	}
	reserved := 0
	for w := range words {
		got, want := Ident(w), scannerIdent(w)
		if got != want {
			t.Errorf("Ident(%q) = %s, the scanner's %s", w, got, want)
		}
		if w != "" && got != w && strings.Trim(w, "abcdefghijklmnopqrstuvwxyz_") == "" { // a keyword
			reserved++
		}
	}
	if reserved < 50 {
		t.Fatalf("only %d reserved keywords among %d words", reserved, len(words))
	}
}

// Every expression plainExpr passes is one the deparser writes: each expression of the
// corpus's statements, and some edge cases; and some (subqueries) are left to it.
func TestPlainExprsDeparse(t *testing.T) {
	texts := []string{`UPDATE t SET a = CASE WHEN b IN (1, 2) THEN 'x'::text COLLATE "C" ELSE NULL END,
		c = coalesce(d[1], greatest(e, 2), $1), f = ROW(1, 2), g = ARRAY[1, 2], h = (i).j,
		k = current_timestamp, l = m IS NULL AND n IS NOT TRUE, o = p BETWEEN 1 AND 2,
		q = r LIKE 's%' OR NOT u, v = w(x => 1, y := 2), z = -1.5::numeric(10, 2),
		aa = B'101', bb = x'1f', cc = count(*) OVER (), dd = (SELECT 1), ee = xmlelement(name a)
		WHERE ff = ANY (ARRAY[1]) AND gg IS DISTINCT FROM 1 AND hh = nullif(ii, 2)`,
		`UPDATE t SET a = (SELECT max(x) FROM u JOIN v USING (id) WHERE u.b = t.b GROUP BY u.c HAVING count(*) > 1 ORDER BY 1 DESC NULLS LAST LIMIT 1),
		b = ARRAY(SELECT y FROM w UNION SELECT z FROM q), c = (SELECT DISTINCT ON (k) k FROM m AS mm ORDER BY k)
		WHERE EXISTS (SELECT 1 FROM r LEFT JOIN s ON r.id = s.id CROSS JOIN o) AND c IN (SELECT d FROM e OFFSET 2)
		AND f > ALL (SELECT g FROM h) AND i = (SELECT DISTINCT j FROM l FOR UPDATE) AND n = (WITH c AS (SELECT 1) SELECT * FROM c)`,
		`UPDATE t SET a = (SELECT jsonb_object_agg(kv.key, kv.value) FROM jsonb_each_text(t.b) AS kv(key, value)),
		b = (SELECT max(n) FROM generate_series(1, 3) WITH ORDINALITY g(i, n)), c = (SELECT count(*) FROM t AS u, LATERAL unnest(u.d) x),
		d = (SELECT count(*) FROM ROWS FROM (unnest(t.e), generate_series(1, 2)) r), e = (SELECT x FROM f() AS (x int)),
		f = (SELECT y FROM current_date y), g = (SELECT z FROM coalesce(1, 2) z)`}
	for _, f := range corpus.SQLFiles(t) {
		texts = append(texts, f.Text)
	}
	plain, other := 0, 0
	for _, text := range texts {
		res, err := pg.Parse(text)
		if err != nil {
			continue
		}
		for _, rs := range res.Stmts {
			pgtree.Walk(rs.Stmt, func(n *pg.Node) {
				switch n.Node.(type) {
				case *pg.Node_AExpr, *pg.Node_FuncCall, *pg.Node_TypeCast, *pg.Node_CaseExpr, *pg.Node_BoolExpr,
					*pg.Node_ColumnRef, *pg.Node_AConst, *pg.Node_SubLink, *pg.Node_RowExpr, *pg.Node_AArrayExpr,
					*pg.Node_NullTest, *pg.Node_CoalesceExpr, *pg.Node_MinMaxExpr, *pg.Node_SqlvalueFunction,
					*pg.Node_XmlExpr, *pg.Node_AIndirection, *pg.Node_CollateClause, *pg.Node_BooleanTest:
				default:
					return
				}
				if !plainExpr(n) {
					other++
					return
				}
				plain++
				if _, ok := DeparseExpr(n); !ok {
					t.Errorf("plain expression %v does not deparse", n)
				}
			})
		}
	}
	if plain < 10000 || other == 0 {
		t.Fatalf("%d plain expressions, %d others", plain, other)
	}
	t.Logf("%d plain expressions deparse; %d others left to the deparser", plain, other)
}
