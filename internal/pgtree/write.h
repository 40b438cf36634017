/*
 * pgtree's writer: PostgreSQL's raw parse trees written into two flat buffers that
 * pgtree.go reads back into pg_query_go's Go structs (the wire form is described in
 * gen/main.go). The structs come from PostgreSQL 16's headers as pg_query_go ships
 * them (copied under include/, checked equal to the module's by TestHeadersMatchModule).
 */
#ifndef PGTREE_WRITE_H
#define PGTREE_WRITE_H

#include "postgres.h"
#include "nodes/parsenodes.h"
#include "nodes/value.h"
#include "nodes/pg_list.h"
#include "nodes/bitmapset.h"

#include <stdlib.h>
#include <string.h>

#include "pgtree.h"

/* pgtree_grow makes room for n more tree bytes (pgtree.c). */
int			pgtree_grow(pgtree_out *w, size_t n);
void		pgtree_str(pgtree_out *w, const char *s);
void		pgtree_node(pgtree_out *w, const void *obj);
void		pgtree_list(pgtree_out *w, const List *list);
/* pgtree_item writes a list item: a node, or an empty node for NULL (as pg_query). */
void		pgtree_item(pgtree_out *w, const void *obj);
void		pgtree_bitmapset(pgtree_out *w, const Bitmapset *set);
void		pgtree_raw_stmt(pgtree_out *w, const RawStmt *node);

void		pgtree_wInteger(pgtree_out *w, const Integer *node);
void		pgtree_wFloat(pgtree_out *w, const Float *node);
void		pgtree_wBoolean(pgtree_out *w, const Boolean *node);
void		pgtree_wString(pgtree_out *w, const String *node);
void		pgtree_wBitString(pgtree_out *w, const BitString *node);
void		pgtree_wList(pgtree_out *w, const List *node);
void		pgtree_wIntList(pgtree_out *w, const List *node);
void		pgtree_wOidList(pgtree_out *w, const List *node);
void		pgtree_wA_Const(pgtree_out *w, const A_Const *node);

static inline void
pgtree_byte(pgtree_out *w, unsigned char c)
{
	if (w->len + 1 > w->cap && !pgtree_grow(w, 1))
		return;
	w->p[w->len++] = c;
}

static inline void
pgtree_uv(pgtree_out *w, uint64 v)
{
	if (w->len + 10 > w->cap && !pgtree_grow(w, 10))
		return;
	while (v >= 0x80)
	{
		w->p[w->len++] = (unsigned char) (v | 0x80);
		v >>= 7;
	}
	w->p[w->len++] = (unsigned char) v;
}

/* pgtree_sv writes a signed number zigzag-encoded, so -1 (an unknown location) is one byte. */
static inline void
pgtree_sv(pgtree_out *w, int64 v)
{
	pgtree_uv(w, ((uint64) v << 1) ^ (uint64) (v >> 63));
}

static inline void
pgtree_f64(pgtree_out *w, double d)
{
	uint64		bits;

	memcpy(&bits, &d, sizeof bits);
	if (w->len + 8 > w->cap && !pgtree_grow(w, 8))
		return;
	for (int i = 0; i < 8; i++)
		w->p[w->len++] = (unsigned char) (bits >> (8 * i));
}

#endif
