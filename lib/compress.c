// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zlib and libdeflate behind one call. With zlib one deflate state is
 * reset per block rather than set up anew, which gives the same bytes as
 * compress2() (and so as util-linux mkfs.cramfs) at a fraction of the
 * set-up cost.
 */
#include <errno.h>
#include <libdeflate.h>
#include <string.h>

#include "compress.h"

int cramfs_compressor_max_level(enum cramfs_compressor_kind kind)
{
	return kind == CRAMFS_COMPRESSOR_ZLIB ? 9 : 12;
}

int cramfs_compressor_init(struct cramfs_compressor *c,
			   enum cramfs_compressor_kind kind, int level)
{
	memset(c, 0, sizeof(*c));
	if (level < 0 || level > cramfs_compressor_max_level(kind))
		return -EINVAL;
	c->kind = kind;
	c->level = level;
	if (kind == CRAMFS_COMPRESSOR_ZLIB) {
		if (deflateInit(&c->zs, level) != Z_OK)
			return -ENOMEM;
		c->zs_ready = true;
		return 0;
	}
	if (kind != CRAMFS_COMPRESSOR_LIBDEFLATE)
		return -EINVAL;
	c->ld = libdeflate_alloc_compressor(level);
	return c->ld ? 0 : -ENOMEM;
}

void cramfs_compressor_end(struct cramfs_compressor *c)
{
	if (c->zs_ready)
		deflateEnd(&c->zs);
	if (c->ld)
		libdeflate_free_compressor(c->ld);
	c->zs_ready = false;
	c->ld = NULL;
}

size_t cramfs_compressor_bound(const struct cramfs_compressor *c, size_t len)
{
	if (c->ld)
		return libdeflate_zlib_compress_bound(c->ld, len);
	return deflateBound((z_streamp)(uintptr_t)&c->zs, (uLong)len);
}

static int zlib_block(struct cramfs_compressor *c, const uint8_t *src,
		      size_t len, uint8_t *dst, size_t cap, size_t *out)
{
	if (deflateReset(&c->zs) != Z_OK)
		return -EIO;
	c->zs.next_in = (Bytef *)(uintptr_t)src;
	c->zs.avail_in = (uInt)len;
	c->zs.next_out = dst;
	c->zs.avail_out = (uInt)cap;
	if (deflate(&c->zs, Z_FINISH) != Z_STREAM_END)
		return -EIO;
	*out = cap - c->zs.avail_out;
	return 0;
}

int cramfs_compress_block(struct cramfs_compressor *c, const uint8_t *src,
			  size_t len, uint8_t *dst, size_t cap, size_t *out)
{
	if (!c->ld)
		return zlib_block(c, src, len, dst, cap, out);
	*out = libdeflate_zlib_compress(c->ld, src, len, dst, cap);
	return *out ? 0 : -EIO;
}
