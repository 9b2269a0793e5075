/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where file data lies, for the overlap check: block tables, the 16-bit
 * lengths of direct compressed blocks, and block streams. Extents may be
 * shared only whole (the same start, length and kind: a block several
 * pointers lead to); any other overlap is an error.
 */
#ifndef CRAMFS_VERIFY_EXTENTS_H
#define CRAMFS_VERIFY_EXTENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cramfs_extent_kind {
	CRAMFS_EXTENT_TABLE,   /* a block pointer table */
	CRAMFS_EXTENT_LENGTH,  /* the u16 in front of a direct zlib block */
	CRAMFS_EXTENT_BLOCK,   /* a block's stored bytes */
};

struct cramfs_extent {
	uint32_t lo;
	uint32_t len;
	uint32_t owner;        /* index of the path it was found from */
	uint8_t kind;
	uint32_t block;        /* block index, for messages */
};

struct cramfs_extents {
	struct cramfs_extent *v;
	size_t n;
	size_t cap;
	size_t limit;          /* past it, stop collecting (hostile images) */
	bool full;
	char **owners;
	size_t nowners;
	size_t owners_cap;
};

/* Remember `path` as the owner of the extents added next. */
int cramfs_extents_owner(struct cramfs_extents *x, const char *path);
int cramfs_extents_add(struct cramfs_extents *x, uint64_t lo, uint64_t len,
		       enum cramfs_extent_kind kind, uint32_t block);

typedef void (*cramfs_overlap_fn)(void *arg, const struct cramfs_extent *bad,
				  const struct cramfs_extent *other);
/* Sort, and call fn for every extent that overlaps an earlier one without
 * being identical to it. Table against table is left out (reported by the
 * table check). */
void cramfs_extents_check(struct cramfs_extents *x, cramfs_overlap_fn fn,
			  void *arg);
const char *cramfs_extent_owner(const struct cramfs_extents *x,
				const struct cramfs_extent *e);
void cramfs_extents_free(struct cramfs_extents *x);

#endif /* CRAMFS_VERIFY_EXTENTS_H */
