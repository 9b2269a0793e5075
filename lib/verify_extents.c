// SPDX-License-Identifier: GPL-2.0-or-later
/* Collect data extents and sweep them in address order for overlaps. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "verify_extents.h"

int cramfs_extents_owner(struct cramfs_extents *x, const char *path)
{
	char *copy;
	int err;

	if (x->full)
		return 0;
	err = cramfs_grow(&x->owners, &x->owners_cap, x->nowners + 1,
			  sizeof(*x->owners));
	if (err)
		return err;
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	x->owners[x->nowners++] = copy;
	return 0;
}

int cramfs_extents_add(struct cramfs_extents *x, uint64_t lo, uint64_t len,
		       enum cramfs_extent_kind kind, uint32_t block)
{
	int err;

	if (x->full || !len || !x->nowners)
		return 0;
	if (x->n >= x->limit) {
		x->full = true;
		return 0;
	}
	err = cramfs_grow(&x->v, &x->cap, x->n + 1, sizeof(*x->v));
	if (err)
		return err;
	x->v[x->n++] = (struct cramfs_extent){
		.lo = (uint32_t)lo, .len = (uint32_t)len,
		.owner = (uint32_t)(x->nowners - 1), .kind = (uint8_t)kind,
		.block = block,
	};
	return 0;
}

static int extent_cmp(const void *a, const void *b)
{
	const struct cramfs_extent *p = a, *q = b;

	if (p->lo != q->lo)
		return p->lo < q->lo ? -1 : 1;
	if (p->len != q->len)
		return p->len < q->len ? -1 : 1;
	if (p->kind != q->kind)
		return p->kind < q->kind ? -1 : 1;
	/* Stable for equal extents: the first owner found comes first. */
	return p->owner < q->owner ? -1 : p->owner > q->owner;
}

void cramfs_extents_check(struct cramfs_extents *x, cramfs_overlap_fn fn,
			  void *arg)
{
	const struct cramfs_extent *reach = NULL;

	if (!x->n)
		return;
	qsort(x->v, x->n, sizeof(*x->v), extent_cmp);
	for (size_t i = 0; i < x->n; i++) {
		const struct cramfs_extent *e = &x->v[i];
		const struct cramfs_extent *prev = i ? &x->v[i - 1] : NULL;
		uint64_t end = (uint64_t)e->lo + e->len;

		if (prev && prev->lo == e->lo && prev->len == e->len &&
		    prev->kind == e->kind)
			continue; /* one extent, several pointers */
		if (reach && e->lo < (uint64_t)reach->lo + reach->len &&
		    !(e->kind == CRAMFS_EXTENT_TABLE &&
		      reach->kind == CRAMFS_EXTENT_TABLE))
			fn(arg, e, reach);
		if (!reach || end > (uint64_t)reach->lo + reach->len)
			reach = e;
	}
}

const char *cramfs_extent_owner(const struct cramfs_extents *x,
				const struct cramfs_extent *e)
{
	return x->owners[e->owner];
}

void cramfs_extents_free(struct cramfs_extents *x)
{
	for (size_t i = 0; i < x->nowners; i++)
		free(x->owners[i]);
	free(x->owners);
	free(x->v);
	memset(x, 0, sizeof(*x));
}
