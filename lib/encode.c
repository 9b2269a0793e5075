// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Block placement rules, for both pointer styles. The kernel finds a
 * classic block between the end pointer of the block before it (or the
 * table's end) and its own end pointer; a direct block at its pointer,
 * with a 16-bit length in front when it is compressed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"

static const uint8_t zeros[4];

static int emit(struct cramfs_encoder *e, const void *buf, size_t len)
{
	int err = len ? e->sink(e->arg, buf, len) : 0;

	if (!err)
		e->pos += len;
	return err;
}

int cramfs_encoder_begin(struct cramfs_encoder *e, bool direct,
			 uint32_t start, uint64_t size)
{
	uint32_t bs = e->o.block_size;
	uint32_t n;
	static const uint8_t table_zeros[256];

	/* Direct pointers hold start >> 2; block sizes are powers of two. */
	if ((start & 3u) || bs < 4096u || (bs & (bs - 1u)))
		return -EINVAL;
	n = (uint32_t)((size + bs - 1) / bs);

	if (n > e->tablecap) {
		uint32_t *t = realloc(e->table, (size_t)n * sizeof(*t));

		if (!t)
			return -ENOMEM;
		e->table = t;
		e->tablecap = n;
	}
	e->direct = direct;
	e->start = start;
	e->size = size;
	e->nblocks = n;
	e->next = 0;
	e->pos = 0;
	e->prev_kind = CRAMFS_BLOCK_KINDS;
	memset(e->count, 0, sizeof(e->count));
	for (uint64_t left = (uint64_t)n * 4u; left;) {
		size_t k = left < sizeof(table_zeros) ? (size_t)left :
			   sizeof(table_zeros);
		int err = emit(e, table_zeros, k);

		if (err)
			return err;
		left -= k;
	}
	return 0;
}

static uint32_t here(const struct cramfs_encoder *e)
{
	return e->start + (uint32_t)e->pos;
}

static int add_classic(struct cramfs_encoder *e,
		       const struct cramfs_block_result *b, uint8_t *kind)
{
	uint32_t flag = 0;
	int err = 0;

	*kind = b->kind;
	if (b->kind == CRAMFS_BLOCK_XIP || b->shared)
		return -EINVAL; /* an end pointer cannot say where a block is */
	if (b->kind == CRAMFS_BLOCK_ZLIB && e->o.raw_blocks && b->zlen >= b->len)
		*kind = CRAMFS_BLOCK_RAW;
	if (*kind == CRAMFS_BLOCK_ZLIB) {
		err = emit(e, b->z, b->zlen);
	} else if (*kind == CRAMFS_BLOCK_RAW) {
		err = emit(e, b->src, b->len);
		flag = CRAMFS_BLK_FLAG_UNCOMPRESSED;
	}
	e->table[e->next] = here(e) | flag;
	return err;
}

uint8_t cramfs_encoder_direct_kind(const struct cramfs_encoder *e,
				   const struct cramfs_block_result *b,
				   bool *inline_only)
{
	/* Stock kernels read a direct raw last block of such a file as zeros. */
	bool last_whole = e->next + 1 == e->nblocks &&
			  b->len == e->o.block_size;
	/* Where a classic pointer's block starts: right after this one's. */
	bool after_inline = e->prev_kind != CRAMFS_BLOCK_XIP &&
			    e->prev_kind != CRAMFS_BLOCK_SHARED;

	*inline_only = false;
	/*
	 * The 16-bit length cannot say 65536 or more: such a block goes raw.
	 * As the last block of a whole-block file it gets a classic end
	 * pointer, which the kernel resolves from the end of the block before
	 * it, so it must follow that block without a gap.
	 */
	if (b->zlen > 0xffffu) {
		*inline_only = last_whole && after_inline;
		return CRAMFS_BLOCK_RAW;
	}
	if (e->o.raw_blocks && b->zlen >= b->len && !last_whole)
		return CRAMFS_BLOCK_RAW;
	return CRAMFS_BLOCK_ZLIB;
}

static int add_direct(struct cramfs_encoder *e,
		      const struct cramfs_block_result *b, uint8_t *kind)
{
	uint32_t ptr, raw_flag;
	uint8_t len16[2];
	bool inline_only;
	int err;

	if (b->kind == CRAMFS_BLOCK_HOLE)
		return -EINVAL; /* a direct pointer cannot say "empty" */
	if (b->kind == CRAMFS_BLOCK_XIP) {
		*kind = CRAMFS_BLOCK_XIP;
		e->table[e->next] = b->xip_addr >> CRAMFS_BLK_DIRECT_PTR_SHIFT |
				    CRAMFS_BLK_FLAG_DIRECT_PTR |
				    CRAMFS_BLK_FLAG_UNCOMPRESSED;
		return 0;
	}
	*kind = cramfs_encoder_direct_kind(e, b, &inline_only);
	raw_flag = *kind == CRAMFS_BLOCK_RAW ? CRAMFS_BLK_FLAG_UNCOMPRESSED : 0;
	if (inline_only) {
		err = emit(e, b->src, b->len);
		e->table[e->next] = here(e) | CRAMFS_BLK_FLAG_UNCOMPRESSED;
		return err;
	}
	if (b->shared) {
		if (b->shared_addr & 3u)
			return -EINVAL;
		e->table[e->next] = b->shared_addr >> CRAMFS_BLK_DIRECT_PTR_SHIFT |
				    CRAMFS_BLK_FLAG_DIRECT_PTR | raw_flag;
		*kind = CRAMFS_BLOCK_SHARED;
		return 0;
	}
	err = emit(e, zeros, (size_t)(cramfs_align_up(e->pos, 4) - e->pos));
	if (err)
		return err;
	ptr = here(e) >> CRAMFS_BLK_DIRECT_PTR_SHIFT | CRAMFS_BLK_FLAG_DIRECT_PTR;
	e->table[e->next] = ptr | raw_flag;
	if (*kind == CRAMFS_BLOCK_RAW)
		return emit(e, b->src, b->len);
	cramfs_put16(len16, (uint16_t)b->zlen, e->o.endian);
	err = emit(e, len16, 2);
	return err ? err : emit(e, b->z, b->zlen);
}

int cramfs_encoder_add(struct cramfs_encoder *e,
		       const struct cramfs_block_result *b)
{
	uint64_t want;
	uint8_t kind;
	int err;

	if (e->next >= e->nblocks)
		return -EINVAL;
	want = e->size - (uint64_t)e->next * e->o.block_size;
	if (b->len != (want < e->o.block_size ? want : e->o.block_size))
		return -EINVAL;
	err = e->direct ? add_direct(e, b, &kind) : add_classic(e, b, &kind);
	if (err)
		return err;
	e->count[kind]++;
	e->prev_kind = kind;
	e->next++;
	return 0;
}

int cramfs_encoder_finish(struct cramfs_encoder *e, uint64_t *len)
{
	*len = e->pos;
	if (e->next != e->nblocks)
		return -EINVAL;
	return e->sink(e->arg, zeros, (size_t)(cramfs_align_up(e->pos, 4) - e->pos));
}

void cramfs_encoder_table(const struct cramfs_encoder *e, uint8_t *out)
{
	for (uint32_t i = 0; i < e->nblocks; i++)
		cramfs_put32(out + (size_t)i * 4u, e->table[i], e->o.endian);
}

void cramfs_encoder_free(struct cramfs_encoder *e)
{
	free(e->table);
	e->table = NULL;
	e->tablecap = 0;
}
