/* SPDX-License-Identifier: GPL-2.0-or-later */
/* State of one image being written, shared by the lib/write*.c files. */
#ifndef CRAMFS_WRITE_H
#define CRAMFS_WRITE_H

#include <stdint.h>

#include "compress.h"
#include "dedup.h"
#include "layout.h"
#include "tree.h"

struct cramfs_writer {
	struct cramfs_tree *tree;
	const struct cramfs_write_opts *opts;
	int fd;
	int insert_fd;           /* -i file, or -1 */
	uint32_t insert_size;    /* its length, unpadded */
	enum cramfs_endian endian;
	uint32_t flags;          /* superblock flags, grown as features are used */
	struct cramfs_encode_opts enc_opts;
	struct cramfs_deflater deflater;
	struct cramfs_encoded enc;
	struct cramfs_dedup dedup;
	struct cramfs_layout *layout;
	uint8_t *content;        /* the current file's bytes */
	size_t content_cap;
	uint64_t data_pos;       /* next byte of the data region */
	uint32_t data_crc;       /* crc32 of the data region so far */
	uint32_t crc;            /* final image crc */
	uint32_t blocks;
	uint64_t data_bytes;
	uint32_t dedup_files;
	uint64_t dedup_saved;
	char path[CRAMFS_TREE_PATH_MAX];
	char other_path[CRAMFS_TREE_PATH_MAX];
};

int cramfs_pwrite_all(struct cramfs_writer *w, const void *buf, size_t len,
		      uint64_t offset);

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

/* lib/write_meta.c */
int cramfs_write_metadata(struct cramfs_writer *w);
/* Tell the caller about a stored file; `shared_from` is a node id or NONE. */
int cramfs_report_file(struct cramfs_writer *w, uint32_t id,
		       uint32_t shared_from);

#endif /* CRAMFS_WRITE_H */
