/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A file's stored form, assembled block by block from compressed blocks:
 * a table of 32-bit block pointers, then the blocks. Bytes go to a sink as
 * they are produced, so no whole file is ever held; the table is known
 * only at the end and is patched in by the caller.
 */
#ifndef CRAMFS_ENCODE_H
#define CRAMFS_ENCODE_H

#include <stdbool.h>
#include <stdint.h>

#include "private.h"

struct cramfs_encode_opts {
	uint32_t block_size;
	bool holes;       /* all-zero blocks become empty blocks */
	bool raw_blocks;  /* keep a block raw when zlib does not shrink it */
	enum cramfs_endian endian;
};

/* One block after the compression stage. */
struct cramfs_block_result {
	const uint8_t *src;   /* the block's content */
	uint32_t len;         /* block size, less for the last block */
	uint8_t kind;         /* ZLIB (zlib stream in z), HOLE or XIP */
	const uint8_t *z;
	uint32_t zlen;
	uint32_t xip_addr;    /* XIP: where the block is in the image */
	bool shared;          /* direct only: point at an identical block */
	uint32_t shared_addr; /* stored as `kind` (ZLIB or RAW) there */
};

struct cramfs_encoder {
	struct cramfs_encode_opts o;
	/*
	 * Direct: every pointer is direct (files with XIP blocks, shared
	 * blocks); blocks are 4-byte aligned, compressed ones behind a 16-bit
	 * length. Classic: end pointers, blocks back to back.
	 */
	bool direct;
	uint32_t start;       /* image offset of the table */
	uint64_t size;
	uint32_t nblocks;
	uint32_t next;        /* next block to add */
	uint64_t pos;         /* stored bytes so far, from the table start */
	uint32_t *table;      /* block pointers as the kernel reads them */
	uint32_t tablecap;
	uint8_t prev_kind;
	uint32_t count[CRAMFS_BLOCK_KINDS];
	cramfs_sink_fn sink;  /* takes the stored bytes, in order */
	void *arg;
};

/* Start a file of `size` bytes whose table goes at image offset `start`;
 * the table's room is sent to the sink as zeros. */
int cramfs_encoder_begin(struct cramfs_encoder *e, bool direct,
			 uint32_t start, uint64_t size);
/*
 * Direct encoding: how the next block will be stored, ZLIB or RAW, and
 * whether it must stay inline (a raw last block of a whole-block file gets
 * a classic end pointer and follows the block before it: it is never
 * shared). The last block of a whole-block file stays compressed whenever
 * the 16-bit length can say its size; a block before a raw one that must
 * stay inline must not be shared (the writer sees to it).
 */
uint8_t cramfs_encoder_direct_kind(const struct cramfs_encoder *e,
				   const struct cramfs_block_result *b,
				   bool *inline_only);
/* Add the next block. */
int cramfs_encoder_add(struct cramfs_encoder *e,
		       const struct cramfs_block_result *b);
/* Pad the stored form to 4 bytes; *len gets its unpadded length. */
int cramfs_encoder_finish(struct cramfs_encoder *e, uint64_t *len);
/* The finished table, in the image's byte order (nblocks * 4 bytes). */
void cramfs_encoder_table(const struct cramfs_encoder *e, uint8_t *out);
void cramfs_encoder_free(struct cramfs_encoder *e);

#endif /* CRAMFS_ENCODE_H */
