// SPDX-License-Identifier: GPL-2.0-or-later
/* Hash index of stored data: O(1) lookups instead of comparing every pair. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"

static uint32_t key_hash(const struct cramfs_dedup_key *k)
{
	uint64_t h = (uint64_t)k->crc << 32 | k->size;

	h ^= (uint64_t)k->mode * 0x9e3779b97f4a7c15ull;
	h ^= ((uint64_t)k->uid << 8 | k->gid) * 0xc2b2ae3d27d4eb4full;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return (uint32_t)(h ^ h >> 32);
}

static int key_equal(const struct cramfs_dedup_key *a,
		     const struct cramfs_dedup_key *b)
{
	return a->crc == b->crc && a->size == b->size && a->mode == b->mode &&
	       a->uid == b->uid && a->gid == b->gid;
}

static void link_entry(struct cramfs_dedup *d, uint32_t idx)
{
	uint32_t b = key_hash(&d->entries[idx].key) & (d->nbuckets - 1);
	uint32_t *slot = &d->buckets[b];

	/* Append, so a bucket lists entries in insertion order. */
	while (*slot != CRAMFS_DEDUP_NONE)
		slot = &d->entries[*slot].next;
	d->entries[idx].next = CRAMFS_DEDUP_NONE;
	*slot = idx;
}

static int rehash(struct cramfs_dedup *d, uint32_t nbuckets)
{
	uint32_t *b = malloc(nbuckets * sizeof(*b));

	if (!b)
		return -ENOMEM;
	memset(b, 0xff, nbuckets * sizeof(*b));
	free(d->buckets);
	d->buckets = b;
	d->nbuckets = nbuckets;
	for (size_t i = 0; i < d->count; i++)
		link_entry(d, (uint32_t)i);
	return 0;
}

int cramfs_dedup_add(struct cramfs_dedup *d, const struct cramfs_dedup_entry *e)
{
	int err;

	if (d->count >= CRAMFS_DEDUP_NONE - 1)
		return -ENOSPC;
	err = cramfs_grow(&d->entries, &d->cap, d->count + 1, sizeof(*e));
	if (err)
		return err;
	d->entries[d->count++] = *e;
	if (d->count > d->nbuckets / 2u)
		return rehash(d, d->nbuckets ? d->nbuckets * 4u : 256u);
	link_entry(d, (uint32_t)(d->count - 1));
	return 0;
}

uint32_t cramfs_dedup_next(const struct cramfs_dedup *d,
			   const struct cramfs_dedup_key *key, uint32_t from)
{
	uint32_t i;

	if (!d->nbuckets)
		return CRAMFS_DEDUP_NONE;
	if (from == CRAMFS_DEDUP_NONE)
		i = d->buckets[key_hash(key) & (d->nbuckets - 1)];
	else
		i = d->entries[from].next;
	while (i != CRAMFS_DEDUP_NONE && !key_equal(&d->entries[i].key, key))
		i = d->entries[i].next;
	return i;
}

void cramfs_dedup_free(struct cramfs_dedup *d)
{
	free(d->entries);
	free(d->buckets);
	memset(d, 0, sizeof(*d));
}
