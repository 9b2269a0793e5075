/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared fixtures for the unit tests: small in-memory trees, images written
 * to memory, a minimal independent image decoder, and temporary directories.
 *
 * Nothing here uses cmocka: every helper returns 0 or a negative errno and
 * the test asserts on it, so a test that does not use a helper still links.
 */
#ifndef CRAMFS_TEST_HELPER_FIXTURE_H
#define CRAMFS_TEST_HELPER_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "cramfs/cramfs.h"

/* One node of a tree described as a table; parents come before children. */
struct fx_node {
	const char *path;    /* "dir/name", relative to the root */
	uint32_t mode;       /* type and permission bits */
	uint32_t uid;
	uint32_t gid;
	const void *data;    /* files and symlinks: content (may be NULL) */
	size_t len;
	uint32_t rdev_major; /* devices */
	uint32_t rdev_minor;
};

/* Nodes of the common kinds, for tables of struct fx_node. */
#define FX_NODE_DIR(p) { .path = (p), .mode = S_IFDIR | 0755 }
#define FX_NODE_REG(p, m, buf, n) { .path = (p), .mode = S_IFREG | (m), \
				    .data = (buf), .len = (n) }
#define FX_NODE_STR(p, s) FX_NODE_REG(p, 0644, s, sizeof(s) - 1)
#define FX_NODE_LNK(p, s) { .path = (p), .mode = S_IFLNK | 0777, \
			    .data = (s), .len = sizeof(s) - 1 }

/* Build a tree from `n` nodes added in table order. */
int fx_tree_build(const struct fx_node *nodes, size_t n,
		  struct cramfs_tree **out);

/* Add one node at `path`; its parent directory must already exist. */
int fx_tree_add(struct cramfs_tree *tree, const struct fx_node *node,
		uint32_t *id);

/* Node id of `path` ("" is the root), or a negative errno. */
int64_t fx_tree_find(const struct cramfs_tree *tree, const char *path);

/*
 * Write the image of `tree` into a memfd with cramfs_write_fd() and return
 * its bytes (malloc'd, caller frees). On failure *buf is NULL and the error
 * of cramfs_write_fd() is returned.
 */
int fx_write_image(struct cramfs_tree *tree,
		   const struct cramfs_write_opts *opts, uint8_t **buf,
		   size_t *len, struct cramfs_write_stats *stats);

/* Read a whole file into a malloc'd buffer. */
int fx_slurp(const char *path, uint8_t **buf, size_t *len);

/* A decoded view of an image, for assertions. No reader code is shared. */
struct fx_image {
	const uint8_t *buf;
	size_t len;
	enum cramfs_endian endian;
	uint32_t super_offset;
	uint32_t block_size;
	struct cramfs_super super;
};

int fx_image_open(struct fx_image *img, const uint8_t *buf, size_t len,
		  enum cramfs_endian endian, uint32_t super_offset,
		  uint32_t block_size);

/* Find the entry at `path` ("" is the root, in the superblock). */
int fx_image_lookup(const struct fx_image *img, const char *path,
		    struct cramfs_inode *inode, uint32_t *inode_offset);

/*
 * Decode a file's or symlink's content: read its block table, copy raw
 * blocks, expand holes, inflate zlib blocks with uncompress(); every block
 * must decode to exactly its expected length. Caller frees *out.
 */
int fx_image_read(const struct fx_image *img, const struct cramfs_inode *inode,
		  uint8_t **out, size_t *len);

/* The i-th block pointer of a file, raw (flags included). */
int fx_image_block_ptr(const struct fx_image *img,
		       const struct cramfs_inode *inode, uint32_t i,
		       uint32_t *ptr);

/*
 * CRC32 of the image as the kernel and cramfsck compute it: from the
 * superblock, over super.size minus the pad, with the crc field zeroed.
 */
uint32_t fx_image_crc(const struct fx_image *img);

/* Deterministic test data: incompressible bytes, or compressible text. */
void fx_fill_random(uint8_t *buf, size_t len, uint32_t seed);
void fx_fill_text(uint8_t *buf, size_t len, uint32_t seed);

/* A new empty directory under $TMPDIR (or /tmp); `dir` gets its path. */
int fx_tempdir(char *dir, size_t cap);
/* Create (or replace) file `dir/rel` with `len` bytes of `data`. */
int fx_put_file(const char *dir, const char *rel, const void *data,
		size_t len);
/* Remove a directory tree; symlinks are removed, never followed. */
int fx_rm_rf(const char *path);
/* Entries of `dir` whose name starts with `prefix`. */
int fx_count_prefixed(const char *dir, const char *prefix);

#endif /* CRAMFS_TEST_HELPER_FIXTURE_H */
