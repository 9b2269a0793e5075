// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Block encoding. Every block is an independent zlib stream (the kernel
 * inflates blocks one by one); one deflate state is reset per block rather
 * than set up anew, which gives the same bytes as zlib's compress2().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compress.h"

int cramfs_deflater_init(struct cramfs_deflater *d, int level)
{
	memset(d, 0, sizeof(*d));
	if (level < 0 || level > 9)
		return -EINVAL;
	if (deflateInit(&d->zs, level) != Z_OK)
		return -ENOMEM;
	d->level = level;
	d->ready = true;
	return 0;
}

void cramfs_deflater_end(struct cramfs_deflater *d)
{
	if (d->ready)
		deflateEnd(&d->zs);
	d->ready = false;
}

static int deflate_block(struct cramfs_deflater *d, const uint8_t *src,
			 size_t len, uint8_t *dst, size_t cap, size_t *out)
{
	if (deflateReset(&d->zs) != Z_OK)
		return -EIO;
	d->zs.next_in = (Bytef *)(uintptr_t)src;
	d->zs.avail_in = (uInt)len;
	d->zs.next_out = dst;
	d->zs.avail_out = (uInt)cap;
	if (deflate(&d->zs, Z_FINISH) != Z_STREAM_END)
		return -EIO;
	*out = cap - d->zs.avail_out;
	return 0;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	return len == 0 || (p[0] == 0 && memcmp(p, p + 1, len - 1) == 0);
}

static int reserve(struct cramfs_encoded *enc, size_t bytes, uint32_t nblocks)
{
	if (bytes > enc->bufcap) {
		uint8_t *n = realloc(enc->buf, bytes);

		if (!n)
			return -ENOMEM;
		enc->buf = n;
		enc->bufcap = bytes;
	}
	if (nblocks > enc->blockcap) {
		uint32_t *r = realloc(enc->rel_end, nblocks * sizeof(*r));
		uint8_t *k;

		if (!r)
			return -ENOMEM;
		enc->rel_end = r;
		k = realloc(enc->kind, nblocks);
		if (!k)
			return -ENOMEM;
		enc->kind = k;
		enc->blockcap = nblocks;
	}
	return 0;
}

/* Size the buffers for `size` bytes and clear the table; *pos follows it. */
static int begin_encoding(struct cramfs_encoded *enc, size_t size,
			  uint32_t block_size, size_t bound, uint32_t *nblocks,
			  size_t *pos)
{
	int err;

	*nblocks = (uint32_t)((size + block_size - 1) / block_size);
	*pos = (size_t)*nblocks * 4u;
	err = reserve(enc, *pos + (size_t)*nblocks * bound + 4u, *nblocks);
	if (err)
		return err;
	enc->nblocks = *nblocks;
	memset(enc->count, 0, sizeof(enc->count));
	memset(enc->buf, 0, *pos);
	return 0;
}

static void record_block(struct cramfs_encoded *enc, uint32_t i, size_t rel,
			 enum cramfs_block_kind kind)
{
	enc->rel_end[i] = (uint32_t)rel;
	enc->kind[i] = (uint8_t)kind;
	enc->count[kind]++;
}

/* The stored bytes end at `pos`; pad them with zeros to 4 bytes. */
static void finish_encoding(struct cramfs_encoded *enc, size_t pos)
{
	enc->len = pos;
	enc->padded_len = (pos + 3u) & ~(size_t)3u;
	memset(enc->buf + pos, 0, enc->padded_len - pos);
}

int cramfs_encode(struct cramfs_deflater *d, const struct cramfs_encode_opts *o,
		  const uint8_t *content, size_t size,
		  struct cramfs_encoded *enc)
{
	size_t bound = deflateBound(&d->zs, o->block_size);
	uint32_t nblocks;
	size_t pos;
	int err;

	err = begin_encoding(enc, size, o->block_size, bound, &nblocks, &pos);
	if (err)
		return err;
	for (uint32_t i = 0; i < nblocks; i++) {
		size_t in = size - (size_t)i * o->block_size;
		const uint8_t *src = content + (size_t)i * o->block_size;
		enum cramfs_block_kind kind = CRAMFS_BLOCK_ZLIB;
		size_t out = 0;

		if (in > o->block_size)
			in = o->block_size;
		if (o->holes && all_zero(src, in)) {
			kind = CRAMFS_BLOCK_HOLE;
		} else {
			err = deflate_block(d, src, in, enc->buf + pos, bound, &out);
			if (err)
				return err;
			if (o->raw_blocks && out >= in) {
				kind = CRAMFS_BLOCK_RAW;
				memcpy(enc->buf + pos, src, in);
				out = in;
			}
		}
		pos += out;
		record_block(enc, i, pos, kind);
	}
	finish_encoding(enc, pos);
	return 0;
}

void cramfs_encoded_set_table(struct cramfs_encoded *enc, uint32_t offset,
			      enum cramfs_endian e)
{
	for (uint32_t i = 0; i < enc->nblocks; i++) {
		uint32_t ptr = offset + enc->rel_end[i];

		if (enc->kind[i] == CRAMFS_BLOCK_RAW)
			ptr |= CRAMFS_BLK_FLAG_UNCOMPRESSED;
		cramfs_put32(enc->buf + (size_t)i * 4u, ptr, e);
	}
}

void cramfs_encoded_free(struct cramfs_encoded *enc)
{
	free(enc->buf);
	free(enc->rel_end);
	free(enc->kind);
	memset(enc, 0, sizeof(*enc));
}

/* One non-XIP block of a direct encoding, stored 4-byte aligned at *start. */
static int encode_direct_block(struct cramfs_deflater *d,
			       const struct cramfs_encode_opts *o,
			       const uint8_t *src, size_t in, bool last_full,
			       struct cramfs_encoded *enc, size_t *pos,
			       size_t *start, enum cramfs_block_kind *kind)
{
	size_t prev_end = *pos, out;
	int err;

	*start = *pos = (*pos + 3u) & ~(size_t)3u;
	/* The alignment gap is image bytes too: never leave it undefined. */
	memset(enc->buf + prev_end, 0, *pos - prev_end);
	err = deflate_block(d, src, in, enc->buf + *pos + 2u,
			    enc->bufcap - *pos - 2u, &out);
	if (err)
		return err;
	/*
	 * The 16-bit length cannot say 65536 or more: such a block goes raw.
	 * A direct raw last block of a whole-block file would read as zeros,
	 * so that one gets a classic end pointer instead, which the kernel
	 * resolves from the end of the block before it: it must follow that
	 * block without a gap.
	 */
	if ((o->raw_blocks && out >= in && !last_full) || out > 0xffffu) {
		*kind = CRAMFS_BLOCK_RAW;
		if (last_full) {
			*start = *pos = prev_end;
			enc->classic_last = true;
		}
		memcpy(enc->buf + *pos, src, in);
		*pos += in;
		return 0;
	}
	*kind = CRAMFS_BLOCK_ZLIB;
	cramfs_put16(enc->buf + *pos, (uint16_t)out, o->endian);
	*pos += 2u + out;
	return 0;
}

int cramfs_encode_direct(struct cramfs_deflater *d,
			 const struct cramfs_encode_opts *o,
			 const uint8_t *content, size_t size, const uint8_t *xip,
			 struct cramfs_encoded *enc)
{
	/* Room for the 16-bit length and the 4-byte alignment of each block. */
	size_t bound = deflateBound(&d->zs, o->block_size) + 8u;
	uint32_t nblocks;
	size_t pos;
	int err;

	err = begin_encoding(enc, size, o->block_size, bound, &nblocks, &pos);
	if (err)
		return err;
	enc->classic_last = false;
	for (uint32_t i = 0; i < nblocks; i++) {
		size_t in = size - (size_t)i * o->block_size;
		enum cramfs_block_kind kind = CRAMFS_BLOCK_XIP;
		size_t start = 0;

		if (in > o->block_size)
			in = o->block_size;
		if (!xip[i]) {
			/* A classic last block cannot follow an XIP page. */
			bool last_full = i + 1 == nblocks && in == o->block_size &&
					 (i == 0 || !xip[i - 1]);

			err = encode_direct_block(d, o,
				content + (size_t)i * o->block_size, in,
				last_full, enc, &pos, &start, &kind);
			if (err)
				return err;
		}
		record_block(enc, i, start, kind);
	}
	finish_encoding(enc, pos);
	return 0;
}

void cramfs_encoded_set_table_direct(struct cramfs_encoded *enc,
				     uint32_t offset, const uint32_t *xip_addr,
				     enum cramfs_endian e)
{
	for (uint32_t i = 0; i < enc->nblocks; i++) {
		uint32_t addr = enc->kind[i] == CRAMFS_BLOCK_XIP ? xip_addr[i] :
				offset + enc->rel_end[i];
		uint32_t ptr = addr >> CRAMFS_BLK_DIRECT_PTR_SHIFT |
			       CRAMFS_BLK_FLAG_DIRECT_PTR;

		if (enc->classic_last && i + 1 == enc->nblocks)
			ptr = (offset + (uint32_t)enc->len) |
			      CRAMFS_BLK_FLAG_UNCOMPRESSED;

		if (enc->kind[i] != CRAMFS_BLOCK_ZLIB)
			ptr |= CRAMFS_BLK_FLAG_UNCOMPRESSED;
		cramfs_put32(enc->buf + (size_t)i * 4u, ptr, e);
	}
}
