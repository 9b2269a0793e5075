/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals of the image reader shared by lib/image.c, lib/verify.c and
 * lib/extract.c; never installed.
 */
#ifndef CRAMFS_IMAGE_INTERNAL_H
#define CRAMFS_IMAGE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <zlib.h>

#include "private.h"

/* Directory nesting we accept below the root; real trees stay far below. */
#define CRAMFS_WALK_MAX_DEPTH 256u

struct libdeflate_decompressor;

struct cramfs_image {
	struct cramfs_msg msg;
	const uint8_t *base;     /* mapped file or borrowed buffer */
	size_t map_len;          /* bytes readable at base */
	uint64_t file_len;       /* bytes in the file or buffer */
	uint64_t limit;          /* reads stay below this offset */
	bool mapped;             /* base came from mmap() */
	bool open;
	uint32_t block_size;
	uint32_t super_off;
	enum cramfs_endian endian;
	struct cramfs_super super;
	struct libdeflate_decompressor *ld; /* the fast path */
	z_stream zs;             /* the diagnosis when that path fails */
	bool zs_ready;
	uint8_t *block_buf;      /* block_size bytes, inflate target */
};

/*
 * The one gate to image bytes: [off, off + len) must lie below img->limit.
 * `what` names the structure for the message.
 */
int cramfs_image_span(struct cramfs_image *img, uint64_t off, uint64_t len,
		      const char *what, const uint8_t **p);

/* Replace the handle message by "<prefix>: <old message>"; returns err. */
int cramfs_msg_prefix(struct cramfs_msg *msg, int err, const char *fmt, ...)
	CRAMFS_PRINTF(3, 4);

/* Copy `len` raw bytes to `out` (size `cap`) escaping what a terminal would eat. */
void cramfs_escape_name(char *out, size_t cap, const uint8_t *name, size_t len);

/* ---- Tree walk with a say in what happens to broken parts. ---- */

enum cramfs_walk_problem {
	CRAMFS_WALK_BAD_NAME,    /* entry skipped, siblings continue */
	CRAMFS_WALK_BAD_ENTRY,   /* rest of the directory skipped */
	CRAMFS_WALK_BAD_DIR,     /* directory's children skipped */
};

/*
 * Told about a problem (message in img->msg, `path` is the directory or
 * entry concerned); returning 0 skips the broken part and goes on, a
 * negative errno stops the walk with that value.
 */
typedef int (*cramfs_walk_problem_fn)(void *arg, enum cramfs_walk_problem kind,
				      const char *path, uint64_t offset,
				      int err);

int cramfs_image_walk_ext(struct cramfs_image *img, cramfs_walk_fn fn,
			  cramfs_walk_problem_fn problem, void *arg);

/* ---- Blocks of regular files and symlinks. ---- */

struct cramfs_block {
	uint32_t index;
	uint32_t ptr;            /* raw pointer as stored */
	uint64_t ptr_offset;     /* where the pointer is stored */
	uint64_t start;          /* first stored byte (after a u16 length) */
	uint64_t len;            /* stored bytes; 0 for a hole */
	uint32_t out_len;        /* bytes the block decodes to */
	enum cramfs_block_kind kind;
	bool direct;
};

uint32_t cramfs_image_block_count(const struct cramfs_image *img,
				  const struct cramfs_inode *ino);

/* Find block `index` of `ino` and check it against every format rule. */
int cramfs_image_block(struct cramfs_image *img, const struct cramfs_inode *ino,
		       uint32_t index, struct cramfs_block *blk);

/*
 * Decode a located block into the handle's block buffer. `unused` (may be
 * NULL) receives the stored bytes left after the end of the zlib stream.
 */
int cramfs_image_decode(struct cramfs_image *img, const struct cramfs_block *blk,
			const uint8_t **out, uint64_t *unused);

/* ---- A set of 32-bit keys with a value, for offsets seen. ---- */

struct cramfs_u32map {
	uint64_t *slots;         /* key + 1; 0 marks an empty slot */
	uint32_t *values;
	size_t cap;
	size_t count;
};

/*
 * Insert key -> value unless present. *found tells which happened and
 * *value (may be NULL) gets the stored value. Returns 0 or -ENOMEM.
 */
int cramfs_u32map_add(struct cramfs_u32map *map, uint32_t key, uint32_t value,
		      bool *found, uint32_t *stored);
/* Where the value of `key` is kept, to change it; NULL when absent. */
uint32_t *cramfs_u32map_find(struct cramfs_u32map *map, uint32_t key);
void cramfs_u32map_free(struct cramfs_u32map *map);

#endif /* CRAMFS_IMAGE_INTERNAL_H */
