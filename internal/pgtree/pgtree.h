/* pgtree's entry point, for pgtree.go and the writer. */
#ifndef PGTREE_H
#define PGTREE_H

#include <stddef.h>
#include "pg_query.h"

/* pgtree_out is a parse written out: the tree's bytes and, apart, its strings'. */
typedef struct
{
	unsigned char *p;			/* tags, numbers, counts, string lengths */
	size_t		len, cap;
	char	   *s;				/* the bytes of the strings, in the order written */
	size_t		slen, scap;
	int			oom;			/* a buffer could not grow: the output is unusable */
} pgtree_out;

typedef struct
{
	pgtree_out	out;
	PgQueryError *error;		/* the parser's error, if any (then out is empty) */
	int			missing;		/* pg_query's parser is not linked in */
	int			version;		/* PG_VERSION_NUM of the grammar */
} pgtree_result;

/* pgtree_parse parses input (len bytes, NUL-terminated) with PostgreSQL's parser. */
pgtree_result pgtree_parse(const char *input, size_t len);
void		pgtree_free(pgtree_result *r);

#endif
