/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Block compressors. Every cramfs block is an independent zlib stream
 * (header, deflate data, Adler-32), which both backends produce; each is
 * deterministic for a given backend, version and level.
 */
#ifndef CRAMFS_COMPRESS_H
#define CRAMFS_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "private.h"

struct libdeflate_compressor;

struct cramfs_compressor {
	enum cramfs_compressor_kind kind;
	int level;
	z_stream zs;
	bool zs_ready;
	struct libdeflate_compressor *ld;
};

int cramfs_compressor_init(struct cramfs_compressor *c,
			   enum cramfs_compressor_kind kind, int level);
void cramfs_compressor_end(struct cramfs_compressor *c);

/* Room the output of a `len`-byte block may need. */
size_t cramfs_compressor_bound(const struct cramfs_compressor *c, size_t len);

/* Compress one block into dst (at least the bound); -EIO if it fails. */
int cramfs_compress_block(struct cramfs_compressor *c, const uint8_t *src,
			  size_t len, uint8_t *dst, size_t cap, size_t *out);

static inline bool cramfs_all_zero(const uint8_t *p, size_t len)
{
	return len == 0 || (p[0] == 0 && __builtin_memcmp(p, p + 1, len - 1) == 0);
}

#endif /* CRAMFS_COMPRESS_H */
