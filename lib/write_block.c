// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Block-level deduplication. A block whose content hashes like a stored
 * one is shared only when its stored form is byte for byte the stored
 * block: a zlib stream inflates to one content, so equal streams mean
 * equal blocks whatever the hash says. Blocks are indexed in image order,
 * so the first occurrence in the sorted tree owns each stored block.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "write.h"

/* A 16-bit length and the longest stream it can announce. */
#define STORED_MAX (2u + 0xffffu + 1u)

int cramfs_stored_read(struct cramfs_writer *w, uint64_t off, void *buf,
		       size_t len)
{
	uint8_t *p = buf;

	if (off < w->stage_off) {
		size_t k = w->stage_off - off < len ?
			   (size_t)(w->stage_off - off) : len;
		int err = cramfs_pread_all(w->fd, p, k, off);

		if (err)
			return err;
		off += k;
		p += k;
		len -= k;
	}
	if (len)
		memcpy(p, w->stage + (off - w->stage_off), len);
	return 0;
}

static int same_block(struct cramfs_writer *w, uint32_t addr, uint8_t kind,
		      const struct cramfs_block_result *b, bool *same)
{
	size_t len = kind == CRAMFS_BLOCK_RAW ? b->len : 2u + b->zlen;
	int err;

	*same = false;
	if (!w->block_buf && !(w->block_buf = malloc(STORED_MAX)))
		return -ENOMEM;
	err = cramfs_stored_read(w, addr, w->block_buf, len);
	/* An output that cannot be read back only loses the saving. */
	if (err)
		return 0;
	if (kind == CRAMFS_BLOCK_RAW)
		*same = memcmp(w->block_buf, b->src, b->len) == 0;
	else
		*same = cramfs_get16(w->block_buf, w->endian) == b->zlen &&
			memcmp(w->block_buf + 2, b->z, b->zlen) == 0;
	return 0;
}

int cramfs_block_find(struct cramfs_writer *w, struct cramfs_block_result *b,
		      uint8_t kind, struct cramfs_block_key *key)
{
	uint32_t i;

	cramfs_block_key_make(key, b->src, b->len, kind);
	for (i = cramfs_block_index_next(&w->block_index, key,
					 CRAMFS_BLOCK_INDEX_NONE);
	     i != CRAMFS_BLOCK_INDEX_NONE;
	     i = cramfs_block_index_next(&w->block_index, key, i)) {
		uint32_t addr = w->block_index.entries[i].addr;
		bool same;
		int err = same_block(w, addr, kind, b, &same);

		if (err)
			return err;
		if (same) {
			b->shared = true;
			b->shared_addr = addr;
			/* Counted when the file is kept (not a duplicate). */
			w->file_dedup_blocks++;
			w->file_dedup_saved += kind == CRAMFS_BLOCK_RAW ?
					       b->len : 2u + b->zlen;
			return 0;
		}
	}
	return 0;
}

int cramfs_block_stored(struct cramfs_writer *w,
			const struct cramfs_block_key *key)
{
	uint32_t ptr = w->enc.table[w->enc.next - 1];
	uint32_t addr = (ptr & ~CRAMFS_BLK_FLAGS) << CRAMFS_BLK_DIRECT_PTR_SHIFT;

	return cramfs_block_index_add(&w->block_index, key, addr);
}
