#include "write.h"
#include "pg_query_internal.h"

/*
 * pg_query's parser lives in pg_query_go's parser package, linked into the same
 * binary; cgo links each package's C code on its own first, so its functions are
 * declared weak here and resolved by the final link.
 */
#pragma weak pg_query_raw_parse
#pragma weak pg_query_enter_memory_context
#pragma weak pg_query_exit_memory_context
#pragma weak pg_query_free_error

int
pgtree_grow(pgtree_out *w, size_t n)
{
	size_t		cap = w->cap * 2;
	unsigned char *p;

	if (w->oom)
	{
		w->len = 0;				/* keep writing over the start: the result is dropped */
		return w->cap >= n;
	}
	if (cap < w->len + n)
		cap = w->len + n;
	p = realloc(w->p, cap);
	if (p == NULL)
	{
		w->oom = 1;
		w->len = 0;
		return w->cap >= n;
	}
	w->p = p;
	w->cap = cap;
	return 1;
}

void
pgtree_str(pgtree_out *w, const char *s)
{
	size_t		n = s == NULL ? 0 : strlen(s);

	pgtree_uv(w, n);
	if (n == 0 || w->oom)
		return;
	if (w->slen + n > w->scap)
	{
		size_t		cap = w->scap * 2 > w->slen + n ? w->scap * 2 : w->slen + n;
		char	   *p = realloc(w->s, cap);

		if (p == NULL)
		{
			w->oom = 1;
			return;
		}
		w->s = p;
		w->scap = cap;
	}
	memcpy(w->s + w->slen, s, n);
	w->slen += n;
}

void
pgtree_list(pgtree_out *w, const List *list)
{
	const ListCell *lc;

	pgtree_uv(w, list_length(list));
	foreach(lc, list)
		pgtree_item(w, lfirst(lc));
}

void
pgtree_bitmapset(pgtree_out *w, const Bitmapset *set)
{
	int			n = 0;

	if (set == NULL)
	{
		pgtree_uv(w, 0);
		return;
	}
	for (int i = 0; i < set->nwords; i++)
		for (bitmapword word = set->words[i]; word != 0; word &= word - 1)
			n++;
	pgtree_uv(w, n);
	for (int i = 0; i < set->nwords; i++)
		for (int bit = 0; bit < BITS_PER_BITMAPWORD; bit++)
			if (set->words[i] & ((bitmapword) 1 << bit))
				pgtree_uv(w, (uint64) i * BITS_PER_BITMAPWORD + bit);
}

/* The node types pg_query writes by hand (pg_query_outfuncs_protobuf.c), in its way. */

void
pgtree_wInteger(pgtree_out *w, const Integer *node)
{
	pgtree_sv(w, node->ival);
}

void
pgtree_wFloat(pgtree_out *w, const Float *node)
{
	pgtree_str(w, node->fval);
}

void
pgtree_wBoolean(pgtree_out *w, const Boolean *node)
{
	pgtree_byte(w, node->boolval != 0);
}

void
pgtree_wString(pgtree_out *w, const String *node)
{
	pgtree_str(w, node->sval);
}

void
pgtree_wBitString(pgtree_out *w, const BitString *node)
{
	pgtree_str(w, node->bsval);
}

void
pgtree_wList(pgtree_out *w, const List *node)
{
	pgtree_list(w, node);
}

/*
 * Integer and OID lists hold numbers, not nodes, and never come out of the raw
 * parser (pg_query would read their numbers as node pointers): written empty.
 */
void
pgtree_wIntList(pgtree_out *w, const List *node)
{
	(void) node;
	pgtree_uv(w, 0);
}

void
pgtree_wOidList(pgtree_out *w, const List *node)
{
	(void) node;
	pgtree_uv(w, 0);
}

/* A constant: isnull, location, then (when not null) which value and the value. */
void
pgtree_wA_Const(pgtree_out *w, const A_Const *node)
{
	pgtree_byte(w, node->isnull != 0);
	pgtree_sv(w, node->location);
	if (node->isnull)
		return;
	switch (nodeTag(&node->val.node))
	{
		case T_Integer:
			pgtree_byte(w, 1);
			pgtree_sv(w, node->val.ival.ival);
			break;
		case T_Float:
			pgtree_byte(w, 2);
			pgtree_str(w, node->val.fval.fval);
			break;
		case T_Boolean:
			pgtree_byte(w, 3);
			pgtree_byte(w, node->val.boolval.boolval != 0);
			break;
		case T_String:
			pgtree_byte(w, 4);
			pgtree_str(w, node->val.sval.sval);
			break;
		case T_BitString:
			pgtree_byte(w, 5);
			pgtree_str(w, node->val.bsval.bsval);
			break;
		default:
			pgtree_byte(w, 0);
	}
}

pgtree_result
pgtree_parse(const char *input, size_t len)
{
	pgtree_result r = {0};
	MemoryContext ctx;
	PgQueryInternalParsetreeAndError p;
	const ListCell *lc;

	if (pg_query_raw_parse == NULL)
	{
		r.missing = 1;
		return r;
	}
	r.version = PG_VERSION_NUM;
	ctx = pg_query_enter_memory_context();
	p = pg_query_raw_parse(input, PG_QUERY_PARSE_DEFAULT);
	free(p.stderr_buffer);
	if (p.error != NULL)
		r.error = p.error;
	else
	{
		r.out.cap = len * 4 + 64;
		r.out.p = malloc(r.out.cap);
		r.out.scap = len + 64;
		r.out.s = malloc(r.out.scap);
		if (r.out.p == NULL || r.out.s == NULL)
		{
			r.out.oom = 1;
			r.out.cap = 0;
		}
		else
		{
			pgtree_uv(&r.out, list_length(p.tree));
			foreach(lc, p.tree)
				pgtree_raw_stmt(&r.out, lfirst_node(RawStmt, lc));
		}
	}
	pg_query_exit_memory_context(ctx);
	return r;
}

void
pgtree_free(pgtree_result *r)
{
	free(r->out.p);
	free(r->out.s);
	if (r->error != NULL)
		pg_query_free_error(r->error);
}
