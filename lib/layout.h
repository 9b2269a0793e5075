/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The layout planner: where every inode, directory and file's data goes.
 * Pure: no I/O. Metadata offsets depend on the tree alone; data is placed
 * file by file as its stored size becomes known.
 */
#ifndef CRAMFS_LAYOUT_H
#define CRAMFS_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "tree.h"

struct cramfs_layout_opts {
	uint32_t block_size;
	bool pad;             /* 512-byte boot loader pad */
	uint32_t insert_len;  /* bytes of the -i file (0: none) */
};

/* A run of a file's blocks mapped in place: contiguous, uncompressed. */
struct cramfs_xip_run {
	uint32_t node;
	uint32_t first_block;
	uint32_t nblocks;
	uint32_t tail;        /* bytes of the last block when it ends the file
				 short of a whole block, else 0 */
	uint32_t addr;        /* image offset of the first block */
	uint32_t reserved;    /* bytes the run takes in the XIP region */
};

struct cramfs_layout {
	uint32_t block_size;
	uint32_t super_offset;  /* 0, or 512 with the pad */
	uint32_t insert_offset; /* right after the superblock */
	uint32_t insert_len;    /* rounded up to 4 */
	uint32_t meta_start;    /* first directory entry */
	uint32_t meta_end;      /* end of directory entries = start of data */
	uint64_t data_end;      /* end of the last placed data */
	size_t nnodes;
	uint32_t *entry_offset; /* per node: its inode (root: in the superblock) */
	uint32_t *dir_offset;   /* per directory: first entry, 0 when empty */
	uint32_t *dir_size;     /* per directory: bytes of its entries */
	uint32_t *data_offset;  /* per file or symlink: its block table */
	uint32_t *data_order;   /* nodes with data, in image order */
	size_t ndata;
	uint32_t xip_start;     /* XIP region: after the metadata, aligned */
	uint32_t xip_end;       /* = where file data starts */
	struct cramfs_xip_run *xip_runs; /* in data order */
	size_t nxip_runs;
};

/* Plan the metadata and the data order. Errors name the path and limit. */
int cramfs_layout_plan(const struct cramfs_tree *tree,
		       const struct cramfs_layout_opts *opts,
		       struct cramfs_layout **out, struct cramfs_msg *msg);

/*
 * Give each requested run (in data order, `tail` and blocks filled in) its
 * place in the XIP region, which starts at the metadata's end rounded up to
 * `align` (the page size, or 8 for no-MMU targets). With page alignment
 * every run takes whole pages: the bytes after a file's end stay zero, so
 * the kernel maps the last page too. File data follows the region.
 * Takes ownership of `runs`.
 */
int cramfs_layout_plan_xip(struct cramfs_layout *l,
			   const struct cramfs_tree *tree,
			   struct cramfs_xip_run *runs, size_t nruns,
			   uint32_t align, struct cramfs_msg *msg);

/* Place `stored_len` bytes of node `id`'s data after the data placed so far. */
int cramfs_layout_place(struct cramfs_layout *l, const struct cramfs_tree *tree,
			uint32_t id, uint64_t stored_len, struct cramfs_msg *msg);

/* Node `id` uses the data already placed for node `from`. */
void cramfs_layout_share(struct cramfs_layout *l, uint32_t id, uint32_t from);

/* Image size: everything placed, rounded up to the block size. */
uint64_t cramfs_layout_image_size(const struct cramfs_layout *l);

void cramfs_layout_free(struct cramfs_layout *l);

#endif /* CRAMFS_LAYOUT_H */
