/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Decoding ahead for the verifier: the entries of pass 2 are queued, the
 * zlib blocks of their files inflated on a worker pool, then the entries
 * checked in walk order as before, each block found good ahead skipping
 * its inflate. Findings come out in the same order, from the same code;
 * a block not found good ahead (bad, or one libdeflate may not judge) is
 * decoded again on the serial path, with zlib where it must be.
 */
#ifndef CRAMFS_VERIFY_AHEAD_H
#define CRAMFS_VERIFY_AHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image_internal.h"

struct cramfs_pool;
struct libdeflate_decompressor;

struct cramfs_ahead_entry {
	struct cramfs_entry e;   /* path and name point into `path` */
	char *path;
	size_t first_job;
	size_t njobs;
};

struct cramfs_ahead_job {
	const uint8_t *in;
	uint64_t start;
	uint64_t len;
	uint32_t out_len;
	bool ok;                 /* inflates to out_len, using every byte */
};

struct cramfs_ahead {
	struct cramfs_image *img;
	struct cramfs_ahead_entry *entries;
	size_t nentries;
	size_t entries_cap;
	struct cramfs_ahead_job *jobs;
	size_t njobs;
	size_t jobs_cap;
	struct cramfs_u32map seen; /* data offsets queued already */
	struct cramfs_pool *pool;
	struct libdeflate_decompressor **ld; /* one per thread */
	uint8_t **out;
	unsigned nthreads;
	const struct cramfs_ahead_entry *current; /* being checked */
	size_t cursor;           /* its next job to match */
};

int cramfs_ahead_init(struct cramfs_ahead *a, struct cramfs_image *img);
/*
 * Queue an entry, with its blocks to inflate ahead when `decode` (the
 * checks will decode them all); *full says the queue should be run now.
 */
int cramfs_ahead_queue(struct cramfs_ahead *a, const struct cramfs_entry *e,
		       bool decode, bool *full);
/* Inflate every queued job on the pool. */
void cramfs_ahead_decode(struct cramfs_ahead *a);
/* Whether the current entry's block `blk` was inflated ahead, cleanly. */
bool cramfs_ahead_good(struct cramfs_ahead *a, const struct cramfs_block *blk);
/* Empty the queue (after its entries were checked). */
void cramfs_ahead_clear(struct cramfs_ahead *a);
void cramfs_ahead_free(struct cramfs_ahead *a);

#endif /* CRAMFS_VERIFY_AHEAD_H */
