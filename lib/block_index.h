/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Index of stored blocks for block-level deduplication: a 128-bit hash of
 * a block's content and its length lead to where the block is stored.
 * The hash only finds candidates; the writer compares bytes before it
 * shares one. Each content is stored, and indexed, once.
 */
#ifndef CRAMFS_BLOCK_INDEX_H
#define CRAMFS_BLOCK_INDEX_H

#include <stdint.h>

#define CRAMFS_BLOCK_INDEX_NONE UINT32_MAX

struct cramfs_block_key {
	uint64_t hash[2];   /* XXH3-128 of the block's content */
	uint32_t len;       /* content bytes */
	uint8_t kind;       /* how it is stored: ZLIB or RAW */
};

struct cramfs_block_entry {
	struct cramfs_block_key key;
	uint32_t addr;      /* what a direct pointer to it holds, << 2 */
	uint32_t next;
};

struct cramfs_block_index {
	struct cramfs_block_entry *entries;
	size_t count;
	size_t cap;
	uint32_t *buckets;
	uint32_t nbuckets;  /* power of two */
};

void cramfs_block_key_make(struct cramfs_block_key *key, const void *data,
			   uint32_t len, uint8_t kind);
int cramfs_block_index_add(struct cramfs_block_index *idx,
			   const struct cramfs_block_key *key, uint32_t addr);
/* Next entry after `from` with this key (CRAMFS_BLOCK_INDEX_NONE starts). */
uint32_t cramfs_block_index_next(const struct cramfs_block_index *idx,
				 const struct cramfs_block_key *key,
				 uint32_t from);
/* Forget the entries added after the first `count`. */
int cramfs_block_index_truncate(struct cramfs_block_index *idx, size_t count);
void cramfs_block_index_free(struct cramfs_block_index *idx);

#endif /* CRAMFS_BLOCK_INDEX_H */
