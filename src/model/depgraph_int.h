/*
 * depgraph_int.h: the inside of struct depgraph, shared by depgraph.c (the
 * facts and the build), depgraph_expr.c (the JSON Airflow stores),
 * depgraph_impact.c (downstream) and depgraph_why.c (upstream).  Not for
 * other modules: they see depgraph.h only.
 */
#ifndef DAGTOP_DEPGRAPH_INT_H
#define DAGTOP_DEPGRAPH_INT_H

#include "depgraph.h"

#define DG_NONE		((size_t)-1)
/* Nesting deeper than this in an expression is refused (untrusted JSON). */
#define DG_EXPR_DEPTH	64

/* An index list that grows by doubling (dg_push). */
struct dg_list {
	size_t	*v;
	size_t	 n;
};

/*
 * One node of a DAG's schedule condition, in prefix order: the children of
 * node i start at i + 1 and each ends where the next sibling starts (end).
 */
enum dg_x_kind { DGX_ALL, DGX_ANY, DGX_ASSET, DGX_ALIAS, DGX_NONE };
struct dg_x {
	enum dg_x_kind	 kind;
	size_t		 target;	/* asset or alias index */
	size_t		 end;		/* index past this node's subtree */
};

struct dg_dag {
	char		*dag_id;
	bool		 known;		/* in facts.dags */
	bool		 paused, active, timed;
	int64_t		 next_run_after;
	struct dg_x	*x;		/* schedule condition; nx 0: none */
	size_t		 nx;
	struct dg_list	 outs;		/* outlet indexes */
	struct dg_list	 links_in;	/* link indexes, target == this */
	struct dg_list	 links_out;	/* link indexes, source == this */
	size_t		 scc;		/* strongly connected component */
};

struct dg_asset {
	int64_t		 id;
	char		*name, *uri;
	bool		 active;
	struct dg_list	 prod;		/* outlet indexes */
	struct dg_list	 cons;		/* DAGs whose condition names it */
	struct dg_list	 aliases;	/* aliases that resolved to it */
};

struct dg_alias {
	char		*name;
	struct dg_list	 assets;
	struct dg_list	 prod;		/* outlet indexes */
	struct dg_list	 cons;		/* DAGs whose condition names it */
};

struct dg_outlet {
	size_t		 dag;
	char		*task_id;	/* NULL: DAG level */
	bool		 alias;		/* target is an alias, else an asset */
	size_t		 target;
};

struct dg_link {
	enum dep_link_kind kind;
	size_t		 source, target;	/* DAG indexes */
	char		*task_id;
};

/* A sort key of an asset lookup index. */
struct dg_key {
	const char	*s;
	int64_t		 id;
	size_t		 i;
};

struct depgraph {
	struct dg_dag	*dags;		/* sorted by dag_id, bytewise */
	size_t		 ndags;
	struct dg_asset	*assets;
	size_t		 nassets;
	struct dg_alias	*aliases;	/* sorted by name */
	size_t		 naliases;
	struct dg_outlet *outlets;
	size_t		 noutlets;
	struct dg_link	*links;
	size_t		 nlinks;
	struct dg_key	*by_uri;	/* assets sorted by uri */
	struct dg_key	*by_name;	/* ... by name */
	struct dg_key	*by_id;		/* ... by id (id != 0) */
	size_t		 nby_id;
	bool		*scc_cyclic;	/* per component: a cycle */
	size_t		 nsccs;
	struct buf	 warnings;
	struct buf	 gaps;
};

/*
 * Room for one more element in an array of n elements that grows by
 * doubling (the capacity is implied by n: 4, 8, 16...); the new element is
 * zeroed.  DG_PUSH(arr, n) grows arr and returns its new last element.
 */
void	*dg_grow(void *, size_t n, size_t size);
#define DG_PUSH(arr, n) \
	((arr) = dg_grow((arr), (n), sizeof *(arr)), &(arr)[(n)++])

void	 dg_push(struct dg_list *, size_t);
void	 dg_list_free(struct dg_list *);
/* qsort comparator of char * elements, bytewise. */
int	 dg_str_cmp(const void *, const void *);
size_t	 dg_bsearch_id(const void *, size_t, size_t, const char *);
size_t	 dg_find_dag(const struct depgraph *, const char *);
size_t	 dg_find_alias(const struct depgraph *, const char *);
size_t	 dg_find_uri(const struct depgraph *, const char *, size_t *n);
size_t	 dg_find_name(const struct depgraph *, const char *, size_t *n);
size_t	 dg_find_id(const struct depgraph *, int64_t);
/*
 * Sets each DAG's scc and scc_cyclic, and names each cycle (a component of
 * two DAGs or more, or a DAG that feeds itself) in the warnings.
 */
void	 dg_find_cycles(struct depgraph *);
/* "cycle across DAGs: a, b, c" (8 at most, "and 12 more") into b. */
void	 dg_cycle_text(const struct depgraph *, size_t scc, struct buf *);

/*
 * Parses a DAG's stored expression into its condition (d->x), resolving
 * assets and aliases against the graph; what it names that the graph does
 * not have becomes a DGX_NONE leaf and a warning.  0, or -1 (with a
 * warning) when the JSON is not an expression.
 */
int	 dg_parse_expression(struct depgraph *, struct dg_dag *,
	    const char *json);
/* Appends a node to d's condition (end: itself alone; callers widen it). */
struct dg_x *dg_push_x(struct dg_dag *, enum dg_x_kind, size_t target);
/*
 * A leaf for the assets of k[first..first+n): one asset, or an any of
 * several (3.x lets two assets share a uri, or a name); a DGX_NONE leaf,
 * and a warning naming what (unless NULL) and text, when there is none.
 */
void	 dg_push_assets(struct depgraph *, struct dg_dag *,
	    const struct dg_key *, size_t first, size_t n, const char *what,
	    const char *text);
/* Whether node i of d's condition is held back, given held assets/aliases. */
bool	 dg_x_held(const struct dg_dag *, size_t i, const bool *asset,
	    const bool *alias);

#endif
