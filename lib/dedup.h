/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Index of stored file data for whole-file deduplication.
 *
 * Two entries may share data only when everything the kernel keeps per
 * inode matches: cramfs derives the inode number from the data offset, so
 * files sharing data share one in-core inode and its mode and owner.
 */
#ifndef CRAMFS_DEDUP_H
#define CRAMFS_DEDUP_H

#include <stdbool.h>
#include <stdint.h>

#include "private.h"

#define CRAMFS_DEDUP_NONE UINT32_MAX

struct cramfs_dedup_key {
	uint32_t crc;   /* crc32 of the content */
	uint32_t size;
	uint32_t mode;
	uint32_t uid;
	uint32_t gid;
};

struct cramfs_dedup_entry {
	struct cramfs_dedup_key key;
	uint32_t node;
	uint32_t offset;      /* where the data starts in the image */
	uint32_t stored_len;  /* table + blocks, unpadded */
	bool direct;          /* its table holds direct (absolute) pointers */
	uint32_t next;        /* next entry in the same bucket */
};

struct cramfs_dedup {
	struct cramfs_dedup_entry *entries;
	size_t count;
	size_t cap;
	uint32_t *buckets;
	uint32_t nbuckets;    /* power of two */
};

int cramfs_dedup_add(struct cramfs_dedup *d, const struct cramfs_dedup_entry *e);

/*
 * Next entry after `from` whose key equals `key`; pass CRAMFS_DEDUP_NONE to
 * start. Returns CRAMFS_DEDUP_NONE when there is none. Entries come back
 * in the order they were added, so the first occurrence wins.
 */
uint32_t cramfs_dedup_next(const struct cramfs_dedup *d,
			   const struct cramfs_dedup_key *key, uint32_t from);

void cramfs_dedup_free(struct cramfs_dedup *d);

#endif /* CRAMFS_DEDUP_H */
