/* SPDX-License-Identifier: GPL-2.0-or-later */
/* State of one image being written, shared by the lib/write*.c files. */
#ifndef CRAMFS_WRITE_H
#define CRAMFS_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "block_index.h"
#include "compress.h"
#include "dedup.h"
#include "encode.h"
#include "layout.h"
#include "tree.h"

/* One block to compress, and what came of it. */
struct cramfs_job {
	const uint8_t *src;
	uint32_t len;
	uint8_t kind;         /* in: ZLIB or XIP; out: ZLIB, HOLE or XIP */
	bool holes_ok;
	int err;
	uint32_t zlen;
	uint32_t xip_addr;
};

/* Consecutive blocks of one file inside a batch. */
struct cramfs_segment {
	uint32_t id;
	uint32_t first_job;
	uint32_t njobs;
	bool begins;          /* holds the file's first block */
	bool ends;            /* holds its last block: the content is read */
	bool direct;          /* direct pointers: XIP blocks or block dedup */
	bool xip;             /* the file has XIP blocks */
	uint32_t xip_share;   /* an XIP hard link it shares, or NONE */
	uint32_t crc;         /* ends: crc32 of the whole content */
	uint64_t xip_padding; /* begins: zero bytes its XIP runs add */
};

/* Content read ahead, compressed on the pool, then assembled in order. */
struct cramfs_batch {
	uint8_t *raw;
	size_t raw_len;
	size_t raw_cap;
	struct cramfs_job *jobs;
	size_t njobs;
	size_t jobs_cap;
	uint8_t *zbuf;        /* job i's zlib stream at zbuf + i * zbound */
	size_t zbound;
	struct cramfs_segment *segs;
	size_t nsegs;
	size_t segs_cap;
	struct cramfs_compressor *comp; /* the writer's, one per thread */
};

/* The file being read into batches. */
struct cramfs_reader {
	uint32_t id;
	int fd;
	bool active;
	bool sparse;          /* read through SEEK_DATA/SEEK_HOLE */
	bool direct;
	bool xip;
	uint64_t done;        /* content bytes read */
	uint32_t crc;
	size_t xip_cursor;    /* its next XIP run in the layout */
	uint64_t xip_padding; /* zero bytes its XIP runs add */
	char path[CRAMFS_TREE_PATH_MAX];
};

struct cramfs_writer {
	struct cramfs_tree *tree;
	const struct cramfs_write_opts *opts;
	int fd;
	const char *out_name;    /* the image, as messages name it */
	int insert_fd;           /* -i file, or -1 */
	uint32_t insert_size;    /* its length, unpadded */
	enum cramfs_endian endian;
	uint32_t flags;          /* superblock flags, grown as features are used */
	struct cramfs_batch batch[2];
	struct cramfs_compressor *comp; /* one per pool thread */
	unsigned ncomp;
	size_t zbound;           /* room for one compressed block */
	struct cramfs_pool *pool;
	struct cramfs_reader src;
	size_t next_file;        /* next layout->data_order entry to read */
	uint64_t files_total;    /* progress */
	uint64_t bytes_total;
	uint64_t files_read;
	uint64_t bytes_read;
	struct cramfs_encoder enc;
	uint64_t enc_len;        /* the finished file's stored bytes, unpadded */
	uint32_t enc_crc;        /* crc32 of what follows its table */
	uint64_t enc_skip;       /* table bytes still to pass uncounted */
	uint8_t *table;          /* the finished table, image byte order */
	size_t table_cap;
	uint8_t *stage;          /* data bytes not yet written */
	size_t stage_len;
	uint64_t stage_off;      /* image offset of stage[0] */
	uint8_t *cmp[2];         /* dedup read-back buffers */
	struct cramfs_dedup dedup;
	struct cramfs_block_index block_index; /* --dedup=block */
	uint8_t *block_buf;      /* a stored block, read back */
	uint32_t dedup_blocks;
	uint64_t dedup_block_saved;
	uint32_t file_dedup_blocks; /* of the file being assembled */
	uint64_t file_dedup_saved;
	size_t file_index_start; /* block index entries before this file */
	uint64_t file_sim_start; /* sim_pos before this file */
	struct cramfs_layout *layout;
	size_t warnings_before;  /* tree warnings when the write started */
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
	bool *xip_include_used;  /* per pattern: matched a file */
	bool *xip_exclude_used;
	size_t xip_cursor;       /* next layout run to read */
	uint64_t xip_pos;        /* next byte of the XIP region */
	uint32_t xip_crc;        /* crc32 of the XIP region so far */
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
/* -ECANCELED once the caller's cancel flag is set. */
int cramfs_write_cancelled(const struct cramfs_writer *w);
/* Append to the file data region, which is written strictly in order. */
int cramfs_emit_data(struct cramfs_writer *w, const void *buf, size_t len);

/*
 * lib/write_content.c: the bytes of files and symlinks, read once, in
 * pieces. A file that changed since the scan is an error.
 */
int cramfs_source_open(struct cramfs_writer *w, uint32_t id);
/* The next `len` bytes, copied into buf or pointed at in place. */
int cramfs_source_read(struct cramfs_writer *w, uint8_t *buf, size_t len,
		       const uint8_t **data);
/* After the last byte: check that the file did not grow. */
int cramfs_source_close(struct cramfs_writer *w);
/* Open the -i file and report its length. */
int cramfs_insert_open(struct cramfs_writer *w, uint32_t *len);
/* Copy the -i file after the superblock, folding it into *crc. */
int cramfs_insert_copy(struct cramfs_writer *w, uint32_t *crc);

/*
 * lib/write_dedup.c: an earlier stored copy, with the same key, of the
 * file just stored at `start` (its table in w->table, `len` bytes),
 * confirmed byte for byte; CRAMFS_DEDUP_NONE if none.
 */
int cramfs_dedup_match(struct cramfs_writer *w,
		       const struct cramfs_dedup_key *key, uint64_t start,
		       uint64_t len, uint32_t *entry);

/*
 * lib/write_block.c: --dedup=block. An identical block stored already,
 * confirmed byte for byte: sets b->shared and b->shared_addr.
 */
int cramfs_block_find(struct cramfs_writer *w, struct cramfs_block_result *b,
		      uint8_t kind, struct cramfs_block_key *key);
/* Index the block the encoder just stored. */
int cramfs_block_stored(struct cramfs_writer *w,
			const struct cramfs_block_key *key);
/* Read stored bytes back, from the stage or the image. */
int cramfs_stored_read(struct cramfs_writer *w, uint64_t off, void *buf,
		       size_t len);

/* lib/write_data.c: every file's data, in image order. */
int cramfs_write_all_data(struct cramfs_writer *w);
int cramfs_stage_flush(struct cramfs_writer *w);
void cramfs_workers_free(struct cramfs_writer *w);

/* lib/xip_select.c: choose XIP runs and plan the XIP region. */
int cramfs_xip_select(struct cramfs_writer *w);

/* lib/write_xip.c */
/* Whether block b of node id is XIP, and its address; *cursor moves on. */
bool cramfs_xip_block(const struct cramfs_writer *w, size_t *cursor,
		      uint32_t id, uint32_t b, uint32_t *addr);
/* Runs of node id from *cursor: zero bytes they add; moves past them. */
uint64_t cramfs_xip_file_padding(const struct cramfs_writer *w,
				 size_t *cursor, uint32_t id);
/* Write an XIP block (or several contiguous ones) at `addr`. */
int cramfs_xip_emit(struct cramfs_writer *w, uint64_t addr, const void *buf,
		    size_t len);
/* Zero-fill the rest of the XIP region once every file is written. */
int cramfs_xip_finish(struct cramfs_writer *w);
/* Account a block in the simulated cramfs-tools layout. */
void cramfs_xip_simulate_block(struct cramfs_writer *w, uint8_t kind,
			       uint8_t prev_kind, uint32_t zlen, uint32_t len);

/* lib/write_meta.c */
int cramfs_write_metadata(struct cramfs_writer *w);
/*
 * Tell the caller about a stored file; `shared_from` is a node id or NONE,
 * `xip_padding` the zero bytes its XIP runs added.
 */
int cramfs_report_file(struct cramfs_writer *w, uint32_t id,
		       uint32_t shared_from, uint64_t xip_padding);

#endif /* CRAMFS_WRITE_H */
