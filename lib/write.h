/* SPDX-License-Identifier: GPL-2.0-or-later */
/* State of one image being written, shared by the lib/write*.c files. */
#ifndef CRAMFS_WRITE_H
#define CRAMFS_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "compress.h"
#include "dedup.h"
#include "layout.h"
#include "tree.h"

struct cramfs_writer {
	struct cramfs_tree *tree;
	const struct cramfs_write_opts *opts;
	int fd;
	const char *out_name;    /* the image, as messages name it */
	int insert_fd;           /* -i file, or -1 */
	uint32_t insert_size;    /* its length, unpadded */
	enum cramfs_endian endian;
	uint32_t flags;          /* superblock flags, grown as features are used */
	struct cramfs_encode_opts enc_opts;
	struct cramfs_deflater deflater;
	struct cramfs_encoded enc;
	struct cramfs_dedup dedup;
	struct cramfs_layout *layout;
	size_t warnings_before;  /* tree warnings when the write started */
	uint8_t *content;        /* the current file's bytes */
	size_t content_cap;
	uint64_t data_pos;       /* next byte of the data region */
	uint32_t data_crc;       /* crc32 of the data region so far */
	uint32_t crc;            /* final image crc */
	uint32_t blocks;
	uint64_t data_bytes;
	uint32_t dedup_files;
	uint64_t dedup_saved;
	/* XIP (lib/xip_select.c, lib/write_xip.c) */
	struct cramfs_xip_run *xip_runs; /* selection, handed to the layout */
	size_t xip_cap;
	size_t nxip_runs;
	uint32_t *xip_share;     /* per node: XIP hard link to share, or NONE */
	const char **xip_note;   /* per node: why not (fully) XIP, or NULL */
	size_t xip_cursor;       /* next layout run to write */
	uint64_t xip_pos;        /* next byte of the XIP region */
	uint32_t xip_crc;        /* crc32 of the XIP region so far */
	uint8_t *xip_mask;       /* per block of the current file */
	uint32_t *xip_addr;
	size_t xip_blockcap;
	uint32_t xip_files;
	uint32_t xip_blocks;
	uint64_t xip_padding;
	uint64_t sim_pos;        /* cramfs-tools' inline layout, simulated */
	uint64_t sim_padding;
	char path[CRAMFS_TREE_PATH_MAX];
	char other_path[CRAMFS_TREE_PATH_MAX];
};

/* cramfs_write_fd() with the image's name for messages. */
int cramfs_write_named(struct cramfs_tree *tree,
		       const struct cramfs_write_opts *opts, int fd,
		       const char *name, struct cramfs_write_stats *stats);

int cramfs_pwrite_all(struct cramfs_writer *w, const void *buf, size_t len,
		      uint64_t offset);
/* Append to the file data region, which is written strictly in order. */
int cramfs_emit_data(struct cramfs_writer *w, const void *buf, size_t len);

/* lib/write_content.c: the bytes of a file or symlink, read exactly once. */
int cramfs_content_get(struct cramfs_writer *w, uint32_t id,
		       const uint8_t **content);
/* Open the -i file and report its length. */
int cramfs_insert_open(struct cramfs_writer *w, uint32_t *len);
/* Copy the -i file after the superblock, folding it into *crc. */
int cramfs_insert_copy(struct cramfs_writer *w, uint32_t *crc);

/*
 * lib/write_dedup.c: an earlier stored copy of the encoded data in w->enc
 * with the same key, confirmed byte for byte; CRAMFS_DEDUP_NONE if none.
 */
int cramfs_dedup_match(struct cramfs_writer *w,
		       const struct cramfs_dedup_key *key, uint32_t *entry);

/* lib/xip_select.c: choose XIP runs and plan the XIP region. */
int cramfs_xip_select(struct cramfs_writer *w);

/* lib/write_xip.c */
bool cramfs_xip_has_runs(const struct cramfs_writer *w, uint32_t id);
int cramfs_write_xip_file(struct cramfs_writer *w, uint32_t id,
			  const uint8_t *content);
/* Zero-fill the rest of the XIP region once every file is written. */
int cramfs_xip_finish(struct cramfs_writer *w);
/* Account a file's blocks in the simulated cramfs-tools layout. */
void cramfs_xip_simulate_inline(struct cramfs_writer *w, uint32_t id);

/* lib/write_meta.c */
int cramfs_write_metadata(struct cramfs_writer *w);
/*
 * Tell the caller about a stored file; `shared_from` is a node id or NONE,
 * `xip_padding` the zero bytes its XIP runs added.
 */
int cramfs_report_file(struct cramfs_writer *w, uint32_t id,
		       uint32_t shared_from, uint64_t xip_padding);

#endif /* CRAMFS_WRITE_H */
