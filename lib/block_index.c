// SPDX-License-Identifier: GPL-2.0-or-later
/* Chained hash table of stored blocks, keyed by content hash and length. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "block_index.h"
#include "private.h"

void cramfs_block_key_make(struct cramfs_block_key *key, const void *data,
			   uint32_t len, uint8_t kind)
{
	XXH128_hash_t h = XXH3_128bits(data, len);

	memset(key, 0, sizeof(*key));
	key->hash[0] = h.low64;
	key->hash[1] = h.high64;
	key->len = len;
	key->kind = kind;
}

static uint32_t bucket_of(const struct cramfs_block_index *idx,
			  const struct cramfs_block_key *k)
{
	return (uint32_t)(k->hash[0] ^ k->hash[0] >> 32) & (idx->nbuckets - 1);
}

static int key_equal(const struct cramfs_block_key *a,
		     const struct cramfs_block_key *b)
{
	return a->hash[0] == b->hash[0] && a->hash[1] == b->hash[1] &&
	       a->len == b->len && a->kind == b->kind;
}

static void link_entry(struct cramfs_block_index *idx, uint32_t i)
{
	uint32_t b = bucket_of(idx, &idx->entries[i].key);

	idx->entries[i].next = idx->buckets[b];
	idx->buckets[b] = i;
}

static int rehash(struct cramfs_block_index *idx, uint32_t nbuckets)
{
	uint32_t *b = malloc(nbuckets * sizeof(*b));

	if (!b)
		return -ENOMEM;
	memset(b, 0xff, nbuckets * sizeof(*b));
	free(idx->buckets);
	idx->buckets = b;
	idx->nbuckets = nbuckets;
	for (size_t i = 0; i < idx->count; i++)
		link_entry(idx, (uint32_t)i);
	return 0;
}

int cramfs_block_index_add(struct cramfs_block_index *idx,
			   const struct cramfs_block_key *key, uint32_t addr)
{
	int err;

	if (idx->count >= CRAMFS_BLOCK_INDEX_NONE - 1)
		return -ENOSPC;
	err = cramfs_grow(&idx->entries, &idx->cap, idx->count + 1,
			  sizeof(*idx->entries));
	if (err)
		return err;
	idx->entries[idx->count++] = (struct cramfs_block_entry){
		.key = *key, .addr = addr };
	if (idx->count > idx->nbuckets / 2u)
		return rehash(idx, idx->nbuckets ? idx->nbuckets * 4u : 1024u);
	link_entry(idx, (uint32_t)(idx->count - 1));
	return 0;
}

uint32_t cramfs_block_index_next(const struct cramfs_block_index *idx,
				 const struct cramfs_block_key *key,
				 uint32_t from)
{
	uint32_t i;

	if (!idx->nbuckets)
		return CRAMFS_BLOCK_INDEX_NONE;
	i = from == CRAMFS_BLOCK_INDEX_NONE ? idx->buckets[bucket_of(idx, key)] :
	    idx->entries[from].next;
	while (i != CRAMFS_BLOCK_INDEX_NONE && !key_equal(&idx->entries[i].key, key))
		i = idx->entries[i].next;
	return i;
}

int cramfs_block_index_truncate(struct cramfs_block_index *idx, size_t count)
{
	if (count >= idx->count)
		return 0;
	idx->count = count;
	return rehash(idx, idx->nbuckets);
}

void cramfs_block_index_free(struct cramfs_block_index *idx)
{
	free(idx->entries);
	free(idx->buckets);
	memset(idx, 0, sizeof(*idx));
}
