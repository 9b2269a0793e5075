// SPDX-License-Identifier: GPL-2.0-or-later
/* Inflate the blocks of queued entries in parallel, ahead of the checks. */
#include <errno.h>
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "deflate_check.h"
#include "pool.h"
#include "verify_ahead.h"

/* Enough work per pool run to keep every thread busy, little memory. */
#define AHEAD_JOBS 2048u
#define AHEAD_ENTRIES 4096u

int cramfs_ahead_init(struct cramfs_ahead *a, struct cramfs_image *img)
{
	unsigned n = cramfs_online_cpus();

	memset(a, 0, sizeof(*a));
	a->img = img;
	a->ld = calloc(n, sizeof(*a->ld));
	a->out = calloc(n, sizeof(*a->out));
	if (!a->ld || !a->out)
		return -ENOMEM;
	for (; a->nthreads < n; a->nthreads++) {
		unsigned t = a->nthreads;

		a->out[t] = malloc(img->block_size);
		a->ld[t] = libdeflate_alloc_decompressor();
		if (!a->out[t] || !a->ld[t]) {
			a->nthreads++;
			return -ENOMEM;
		}
	}
	return cramfs_pool_new(n, &a->pool);
}

static int add_job(struct cramfs_ahead *a, const struct cramfs_block *blk)
{
	const uint8_t *in;
	int err;

	/* Outside the image: the check says so, without our help. */
	if (cramfs_image_span(a->img, blk->start, blk->len, "block", &in))
		return 0;
	err = cramfs_grow(&a->jobs, &a->jobs_cap, a->njobs + 1,
			  sizeof(*a->jobs));
	if (err)
		return err;
	a->jobs[a->njobs++] = (struct cramfs_ahead_job){
		.in = in, .start = blk->start, .len = blk->len,
		.out_len = blk->out_len,
	};
	return 0;
}

int cramfs_ahead_queue(struct cramfs_ahead *a, const struct cramfs_entry *e,
		       bool decode, bool *full)
{
	struct cramfs_ahead_entry *q;
	size_t plen = strlen(e->path);
	uint32_t count;
	bool found;
	int err;

	err = cramfs_grow(&a->entries, &a->entries_cap, a->nentries + 1,
			  sizeof(*a->entries));
	if (err)
		return err;
	q = &a->entries[a->nentries];
	q->e = *e;
	q->path = malloc(plen + 1);
	if (!q->path)
		return -ENOMEM;
	memcpy(q->path, e->path, plen + 1);
	q->e.path = q->path;
	q->e.name = q->path + (plen - strlen(e->name));
	q->first_job = a->njobs;
	a->nentries++;
	/*
	 * Symlinks need their bytes checked: they stay on the serial path.
	 * Data seen already is checked in part or not at all: serial too.
	 */
	if (decode && S_ISREG(e->inode.mode) && e->inode.size &&
	    !cramfs_u32map_add(&a->seen, e->inode.offset, 0, &found, NULL) &&
	    !found) {
		count = cramfs_image_block_count(a->img, &e->inode);
		for (uint32_t i = 0; i < count; i++) {
			struct cramfs_block blk;

			if (cramfs_image_block(a->img, &e->inode, i, &blk))
				break;
			if (blk.kind == CRAMFS_BLOCK_ZLIB &&
			    (err = add_job(a, &blk)))
				return err;
		}
	}
	q->njobs = a->njobs - q->first_job;
	*full = a->njobs >= AHEAD_JOBS || a->nentries >= AHEAD_ENTRIES;
	return 0;
}

/*
 * libdeflate judges the streams on which it agrees with zlib, the
 * kernel's inflate (nearly all). The few others are left to the serial
 * check, which decodes them with zlib: no block the kernel cannot read
 * passes.
 */
static void inflate_job(void *arg, size_t i, unsigned worker)
{
	struct cramfs_ahead *a = arg;
	struct cramfs_ahead_job *j = &a->jobs[i];
	size_t used;

	j->ok = cramfs_inflate_plain(a->ld[worker], j->in, j->len,
				     a->out[worker], a->img->block_size,
				     j->out_len, &used) && used == j->len;
}
void cramfs_ahead_decode(struct cramfs_ahead *a)
{
	cramfs_pool_run(a->pool, inflate_job, a, a->njobs);
}

bool cramfs_ahead_good(struct cramfs_ahead *a, const struct cramfs_block *blk)
{
	const struct cramfs_ahead_entry *q = a->current;

	if (!q)
		return false;
	/* The checks visit a file's blocks in order, some of them only. */
	for (; a->cursor < q->first_job + q->njobs; a->cursor++) {
		const struct cramfs_ahead_job *j = &a->jobs[a->cursor];

		if (j->start == blk->start && j->len == blk->len &&
		    j->out_len == blk->out_len)
			return j->ok;
	}
	return false;
}

void cramfs_ahead_clear(struct cramfs_ahead *a)
{
	for (size_t i = 0; i < a->nentries; i++)
		free(a->entries[i].path);
	a->nentries = 0;
	a->njobs = 0;
	a->current = NULL;
	a->cursor = 0;
}

void cramfs_ahead_free(struct cramfs_ahead *a)
{
	cramfs_ahead_clear(a);
	cramfs_pool_free(a->pool);
	for (unsigned i = 0; i < a->nthreads; i++) {
		if (a->ld[i])
			libdeflate_free_decompressor(a->ld[i]);
		free(a->out[i]);
	}
	free(a->ld);
	free(a->out);
	free(a->entries);
	free(a->jobs);
	cramfs_u32map_free(&a->seen);
	memset(a, 0, sizeof(*a));
}
