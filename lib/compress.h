/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Turn a file's content into its stored form: block table + blocks. */
#ifndef CRAMFS_COMPRESS_H
#define CRAMFS_COMPRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <zlib.h>

#include "private.h"

struct cramfs_deflater {
	z_stream zs;
	int level;
	bool ready;
};

struct cramfs_encode_opts {
	uint32_t block_size;
	bool holes;       /* all-zero blocks become empty blocks */
	bool raw_blocks;  /* keep a block raw when zlib does not shrink it */
	enum cramfs_endian endian; /* of the 16-bit lengths of direct blocks */
};

/*
 * A file's stored form. `buf` holds a table of `nblocks` 32-bit slots
 * (left for the writer to fill) followed by the blocks, padded to 4 bytes.
 * rel_end[i] is the end of block i counted from the start of the table.
 */
struct cramfs_encoded {
	uint8_t *buf;
	size_t len;        /* table + blocks, without the padding */
	size_t padded_len; /* len rounded up to 4 */
	size_t bufcap;
	uint32_t nblocks;
	uint32_t *rel_end;
	uint8_t *kind;     /* enum cramfs_block_kind per block */
	size_t blockcap;
	uint32_t count[CRAMFS_BLOCK_KINDS]; /* blocks per kind */
	bool classic_last; /* direct encoding: the last block ends the buffer
			      and has a classic end pointer */
};

/*
 * Encoding for a file with XIP blocks: every pointer is direct, so blocks
 * may live anywhere. Blocks with xip[i] set are left out (kind
 * CRAMFS_BLOCK_XIP: the writer puts them in the XIP region); the others are
 * stored 4-byte aligned after the table, as a 16-bit length and a zlib
 * stream, or raw when allowed and smaller. rel_end[i] is then the START of
 * block i counted from the table. A direct raw last block is avoided when
 * the file size is a multiple of the block size (stock kernels read it as
 * zeros); when only raw fits (64 KiB blocks), that block gets a classic
 * pointer and follows the block before it, which must not be XIP.
 */
int cramfs_encode_direct(struct cramfs_deflater *d,
			 const struct cramfs_encode_opts *o,
			 const uint8_t *content, size_t size, const uint8_t *xip,
			 struct cramfs_encoded *enc);

/* Fill the table of a direct encoding; xip_addr[i] holds XIP block starts. */
void cramfs_encoded_set_table_direct(struct cramfs_encoded *enc,
				     uint32_t offset, const uint32_t *xip_addr,
				     enum cramfs_endian e);

int cramfs_deflater_init(struct cramfs_deflater *d, int level);
void cramfs_deflater_end(struct cramfs_deflater *d);

int cramfs_encode(struct cramfs_deflater *d, const struct cramfs_encode_opts *o,
		  const uint8_t *content, size_t size,
		  struct cramfs_encoded *enc);
void cramfs_encoded_free(struct cramfs_encoded *enc);

/* Fill the block table for data placed at `offset` in byte order `e`. */
void cramfs_encoded_set_table(struct cramfs_encoded *enc, uint32_t offset,
			      enum cramfs_endian e);

#endif /* CRAMFS_COMPRESS_H */
