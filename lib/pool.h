/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fixed set of worker threads that run one indexed job list at a time.
 * The calling thread works too, so a pool of one thread starts none.
 * Jobs write only to their own slots: results never depend on which
 * thread ran a job, which keeps images identical for any thread count.
 */
#ifndef CRAMFS_POOL_H
#define CRAMFS_POOL_H

#include <stddef.h>

struct cramfs_pool;

/* Job `index` of a run, on worker `worker` (0 is the calling thread). */
typedef void (*cramfs_pool_fn)(void *arg, size_t index, unsigned worker);

/* A pool of `threads` workers in all (>= 1). */
int cramfs_pool_new(unsigned threads, struct cramfs_pool **out);
unsigned cramfs_pool_threads(const struct cramfs_pool *pool);
/* Run fn for every index below `count` and return when all are done. */
void cramfs_pool_run(struct cramfs_pool *pool, cramfs_pool_fn fn, void *arg,
		     size_t count);
/*
 * The same in two steps: start() hands the jobs to the other threads and
 * returns at once, so the caller can do other work; wait() has the caller
 * join in and returns when every job is done. One run at a time.
 */
void cramfs_pool_start(struct cramfs_pool *pool, cramfs_pool_fn fn, void *arg,
		       size_t count);
void cramfs_pool_wait(struct cramfs_pool *pool);
void cramfs_pool_free(struct cramfs_pool *pool);

/* Online CPUs, at least 1. */
unsigned cramfs_online_cpus(void);

#endif /* CRAMFS_POOL_H */
