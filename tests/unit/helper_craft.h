/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Crafting hostile images for the reader tests: write a good image with the
 * library, then change a few of its bytes with the format.h encoders.
 *
 * Like helper_fixture, nothing here uses cmocka: helpers return 0 or a
 * negative errno and the test asserts on it.
 */
#ifndef CRAMFS_TEST_HELPER_CRAFT_H
#define CRAMFS_TEST_HELPER_CRAFT_H

#include <stddef.h>
#include <stdint.h>

#include "helper_fixture.h"

/* An image in a malloc'd buffer, with the independent decoder's view. */
struct hc_image {
	uint8_t *buf;
	size_t len;
	struct fx_image fx;
	struct cramfs_write_stats stats;
};

/*
 * Build `n` nodes into a tree and write its image with `opts` (NULL: the
 * defaults, little endian). On failure nothing needs freeing.
 */
int hc_make(const struct fx_node *nodes, size_t n,
	    const struct cramfs_write_opts *opts, struct hc_image *img);
void hc_free(struct hc_image *img);

/* Byte order of the image, resolved. */
enum cramfs_endian hc_endian(const struct hc_image *img);

uint32_t hc_get32(const struct hc_image *img, uint64_t off);
void hc_put32(struct hc_image *img, uint64_t off, uint32_t v);

/* The inode of `path` ("" is the root) and where it is stored. */
int hc_inode(const struct hc_image *img, const char *path,
	     struct cramfs_inode *ino, uint32_t *off);
/* Store `ino` at `off` (re-decodes the superblock when it is the root). */
int hc_set_inode(struct hc_image *img, uint32_t off,
		 const struct cramfs_inode *ino);

/* Overwrite the name of `path` with `name`, which must fit its padded field. */
int hc_rename(struct hc_image *img, const char *path, const char *name);

/* Where block pointer `index` of `path` is stored. */
int hc_ptr_offset(const struct hc_image *img, const char *path,
		  uint32_t index, uint32_t *off);

/* Make fsid.crc right again after an edit. */
void hc_fix_crc(struct hc_image *img);

/*
 * A copy of the first `len` bytes in a buffer of exactly that size, so that
 * AddressSanitizer catches a read past the end. Caller frees.
 */
uint8_t *hc_prefix(const struct hc_image *img, size_t len);

#endif /* CRAMFS_TEST_HELPER_CRAFT_H */
